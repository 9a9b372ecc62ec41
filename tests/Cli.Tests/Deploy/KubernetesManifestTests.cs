using System.Text.RegularExpressions;
using ActorTrain.Actors.Settings;
using ActorTrain.Model.Tests;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ActorTrain.Cli.Tests.Deploy;

/// <summary>
/// deploy/kubernetes/actortrain.yaml: valid YAML with what kubectl needs in every object, a headless Service and a
/// StatefulSet that agree with each other, and — evaluating the container's env the way the kubelet does (downward API
/// fields, $(VAR) references) for every pod ordinal — each node deriving its own DNS name as host, pod 0's as the seed,
/// its ordinal as node rank and the replica count as node count, through the loader every command uses.
/// </summary>
[Collection(MultiProcess.MultiProcessCollection.Name)]
public sealed partial class KubernetesManifestTests
{
    private const string Namespace = "team-a";

    private static List<YamlMappingNode> Objects()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(RepositoryFiles.Path("deploy/kubernetes/actortrain.yaml"))) stream.Load(reader);
        return stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode)).ToList();
    }

    private static YamlNode? Get(YamlNode node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            node = child;
        }
        return node;
    }

    private static string Text(YamlNode node, string path) =>
        (Get(node, path) as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"the manifest has no scalar {path}");

    private static YamlMappingNode Single(List<YamlMappingNode> objects, string kind) => Assert.Single(objects, o => Text(o, "kind") == kind);

    [Fact]
    public void Every_object_has_api_version_kind_and_name_and_the_service_and_statefulset_agree()
    {
        var objects = Objects();
        Assert.All(objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(Text(o, "apiVersion")));
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Text(o, "metadata.name")); // an RFC 1123 label, as DNS names need
        });
        var service = Single(objects, "Service");
        var set = Single(objects, "StatefulSet");
        Assert.Equal("apps/v1", Text(set, "apiVersion"));
        Assert.Equal("None", Text(service, "spec.clusterIP"));
        Assert.Equal("true", Text(service, "spec.publishNotReadyAddresses"));
        Assert.Equal(Text(service, "metadata.name"), Text(set, "spec.serviceName"));
        Assert.Equal("Parallel", Text(set, "spec.podManagementPolicy"));

        // The selector picks the pod template's labels, and the Service selects the same pods.
        var templateLabels = Labels(Get(set, "spec.template.metadata.labels"));
        Assert.Subset(templateLabels.ToHashSet(), Labels(Get(set, "spec.selector.matchLabels")).ToHashSet());
        Assert.Subset(templateLabels.ToHashSet(), Labels(Get(service, "spec.selector")).ToHashSet());

        var container = Container(set);
        Assert.False(string.IsNullOrEmpty(Text(container, "name")));
        Assert.False(string.IsNullOrEmpty(Text(container, "image")));
        var args = ((YamlSequenceNode)Get(container, "args")!).Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal("node", args[0]);
        var ports = (YamlSequenceNode)Get(container, "ports")!;
        Assert.Contains(ports, p => Text(p, "containerPort") == "2552" && Text(p, "name") == Text((YamlNode)((YamlSequenceNode)Get(service, "spec.ports")!)[0], "targetPort"));

        // Every mount names a volume, and every ConfigMap and claim a volume uses is in the manifest (or is the TLS secret).
        var volumes = ((YamlSequenceNode)Get(set, "spec.template.spec.volumes")!).Cast<YamlMappingNode>().ToList();
        foreach (var mount in ((YamlSequenceNode)Get(container, "volumeMounts")!).Cast<YamlMappingNode>())
            Assert.Contains(volumes, v => Text(v, "name") == Text(mount, "name"));
        foreach (var v in volumes)
        {
            if (Get(v, "configMap.name") is YamlScalarNode cm)
                Assert.Contains(objects, o => Text(o, "kind") == "ConfigMap" && Text(o, "metadata.name") == cm.Value);
            if (Get(v, "persistentVolumeClaim.claimName") is YamlScalarNode claim)
                Assert.Contains(objects, o => Text(o, "kind") == "PersistentVolumeClaim" && Text(o, "metadata.name") == claim.Value);
        }
    }

    [Fact]
    public void Every_pod_derives_its_dns_name_as_host_pod_0_as_seed_its_ordinal_as_node_rank_and_the_replicas_as_node_count()
    {
        var set = StatefulSet.Load();
        using var temp = new MultiProcess.TempDirectory();
        var pods = set.Materialise(temp.Path);
        Assert.True(File.Exists(pods.ConfigFile), $"--config {pods.ConfigFile} is in no mounted volume");

        for (int ordinal = 0; ordinal < set.Replicas; ordinal++)
        {
            var settings = ActorTrainConfigLoader.Load(pods.ConfigFile, pods.Environments[ordinal], []).Settings;
            Assert.Equal(set.Dns(ordinal), settings.Cluster.Hostname);
            Assert.Equal(2552, settings.Cluster.Port);
            Assert.Equal([$"akka.tcp://actortrain@{set.Dns(0)}:2552"], settings.Cluster.SeedNodes);
            Assert.Equal((set.Replicas, ordinal), (settings.Job.Nnodes, settings.Job.NodeRank));
            Assert.True(settings.Cluster.Tls.Enabled);
        }
    }

    /// <summary>The manifest's StatefulSet and what its pods are named.</summary>
    private sealed record StatefulSet(List<YamlMappingNode> Objects, YamlMappingNode Set, string Name, string Service, int Replicas)
    {
        public static StatefulSet Load()
        {
            var objects = KubernetesManifestTests.Objects();
            var set = Single(objects, "StatefulSet");
            return new(objects, set, Text(set, "metadata.name"), Text(set, "spec.serviceName"), int.Parse(Text(set, "spec.replicas")));
        }

        /// <summary>Pod <paramref name="ordinal"/>'s stable DNS name through the headless Service.</summary>
        public string Dns(int ordinal) => $"{Name}-{ordinal}.{Service}.{Namespace}.svc.cluster.local";

        /// <summary>The pods as this machine runs them: volumes under <paramref name="root"/>, the container's args and
        /// every pod's environment with pod paths mapped onto those volumes.</summary>
        public Pods Materialise(string root)
        {
            var mounts = Mount(Objects, Set, root);
            string Local(string podPath) =>
                mounts.Where(m => podPath.StartsWith(m.Key + "/", StringComparison.Ordinal)).Select(m => m.Value + podPath[m.Key.Length..]).FirstOrDefault() ?? podPath;
            var args = ((YamlSequenceNode)Get(Container(Set), "args")!).Select(a => Local(((YamlScalarNode)a).Value!)).ToList();
            var environments = Enumerable.Range(0, Replicas)
                .Select(o => PodEnvironment(Container(Set), $"{Name}-{o}", o).ToDictionary(e => e.Key, e => Local(e.Value))).ToList();
            return new Pods(args, environments, Local);
        }
    }

    /// <summary>The container's args and each pod's environment, with pod paths mapped to local ones by <paramref name="Local"/>.</summary>
    private sealed record Pods(List<string> Args, List<Dictionary<string, string>> Environments, Func<string, string> Local)
    {
        public string ConfigFile => Args[Args.IndexOf("--config") + 1];
    }

    /// <summary>Materialises the container's volume mounts under <paramref name="root"/>: a ConfigMap's keys as files, the
    /// TLS secret as what `actortrain cert --out DIR --node node` writes. Returns pod path → local directory.</summary>
    private static Dictionary<string, string> Mount(List<YamlMappingNode> objects, YamlMappingNode set, string root)
    {
        var volumes = ((YamlSequenceNode)Get(set, "spec.template.spec.volumes")!).Cast<YamlMappingNode>().ToDictionary(v => Text(v, "name"));
        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in ((YamlSequenceNode)Get(Container(set), "volumeMounts")!).Cast<YamlMappingNode>())
        {
            string name = Text(mount, "name"), local = Path.Combine(root, name);
            Directory.CreateDirectory(local);
            var volume = volumes[name];
            if (Get(volume, "configMap.name") is YamlScalarNode cm)
            {
                var map = objects.Single(o => Text(o, "kind") == "ConfigMap" && Text(o, "metadata.name") == cm.Value);
                foreach (var (key, value) in ((YamlMappingNode)Get(map, "data")!).Children)
                    File.WriteAllText(Path.Combine(local, ((YamlScalarNode)key).Value!), ((YamlScalarNode)value).Value);
            }
            else if (Get(volume, "secret.secretName") is YamlScalarNode { Value: "actortrain-tls" })
                Commands.CertCommand.Run(local, ["node"], null, "", 2);
            mounts[Text(mount, "mountPath").TrimEnd('/')] = local;
        }
        return mounts;
    }

    private static YamlMappingNode Container(YamlMappingNode set) =>
        (YamlMappingNode)((YamlSequenceNode)Get(set, "spec.template.spec.containers")!).Single();

    private static IEnumerable<KeyValuePair<string, string>> Labels(YamlNode? node) =>
        ((YamlMappingNode)node!).Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ((YamlScalarNode)c.Value).Value!));

    /// <summary>The container's environment as the kubelet builds it: downward-API fields, then $(VAR) expanded from the
    /// variables defined before it ($$ escapes, unknown references stay as written).</summary>
    private static Dictionary<string, string> PodEnvironment(YamlMappingNode container, string podName, int ordinal)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in ((YamlSequenceNode)Get(container, "env")!).Cast<YamlMappingNode>())
        {
            string name = Text(entry, "name");
            if (Get(entry, "valueFrom.fieldRef.fieldPath") is YamlScalarNode field)
            {
                env[name] = field.Value switch
                {
                    "metadata.name" => podName,
                    "metadata.namespace" => Namespace,
                    "metadata.labels['apps.kubernetes.io/pod-index']" => ordinal.ToString(),
                    var other => throw new Xunit.Sdk.XunitException($"env {name}: the test does not know fieldPath {other}"),
                };
                continue;
            }
            env[name] = Reference().Replace(Text(entry, "value"), m =>
                m.Value.StartsWith("$$", StringComparison.Ordinal) ? m.Value[1..] : env.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);
        }
        return env;
    }

    [GeneratedRegex(@"\$?\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
