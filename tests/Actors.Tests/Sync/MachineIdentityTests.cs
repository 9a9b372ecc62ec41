using ActorTrain.Actors.Sync.Transport;
using Xunit;

namespace ActorTrain.Actors.Tests.Sync;

public sealed class MachineIdentityTests
{
    // A container's view: root overlay, /dev, and two tmpfs stacked on /dev/shm (the later one hides the first).
    private const string ContainerMountInfo = """
        1 0 0:31 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w
        22 1 0:5 / /dev rw,nosuid - devtmpfs udev rw,size=4096k
        25 22 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=65536k
        30 25 0:27 / /dev/shm rw,relatime - tmpfs shm rw,size=65536k
        31 1 0:40 / /my\040data rw,relatime - ext4 /dev/sdb rw
        """;

    [Fact]
    public void The_shared_memory_directory_is_identified_by_the_topmost_mount_on_its_longest_mount_point()
    {
        Assert.Equal("0:27", MachineIdentity.MountDevice(ContainerMountInfo, "/dev/shm"));
        Assert.Equal("0:27", MachineIdentity.MountDevice(ContainerMountInfo, "/dev/shm/"));
        Assert.Equal("0:5", MachineIdentity.MountDevice(ContainerMountInfo, "/dev/shmem")); // a sibling, not inside /dev/shm
        Assert.Equal("0:40", MachineIdentity.MountDevice(ContainerMountInfo, "/my data/shm"));
        Assert.Equal("0:31", MachineIdentity.MountDevice(ContainerMountInfo, "/tmp"));
        Assert.Null(MachineIdentity.MountDevice("", "/dev/shm"));
    }

    [Fact]
    public void Containers_with_one_baked_in_machine_id_differ_by_kernel_boot_or_by_shared_memory_mount()
    {
        const string image = "0123456789abcdef0123456789abcdef";
        string a = MachineIdentity.Compose(image, "5f0c9e1b-2a3d-4c5e-8f90-112233445566", "0:27");
        Assert.Equal($"{image}.5f0c9e1b.0:27", a);
        var machineA = new PeerEndpoint(0, "pod-0", 1, a);
        var otherMachine = new PeerEndpoint(1, "pod-1", 1, MachineIdentity.Compose(image, "77aa0011-2a3d-4c5e-8f90-112233445566", "0:27"));
        var otherPodSameNode = new PeerEndpoint(1, "pod-1", 1, MachineIdentity.Compose(image, "5f0c9e1b-2a3d-4c5e-8f90-112233445566", "0:29"));
        var sameNamespaceOfMounts = new PeerEndpoint(1, "pod-1", 1, MachineIdentity.Compose(image, "5f0c9e1b-2a3d-4c5e-8f90-112233445566", "0:27"));
        Assert.False(machineA.IsSameMachineAs(otherMachine));
        Assert.False(machineA.IsSameMachineAs(otherPodSameNode));
        Assert.True(machineA.IsSameMachineAs(sameNamespaceOfMounts));
    }

    [Fact]
    public void This_process_names_its_machine_id_boot_and_shared_memory_mount_where_linux_has_them()
    {
        string local = PeerEndpoint.LocalMachineId();
        Assert.Equal(local, MachineIdentity.Local()); // stable within a process
        if (!OperatingSystem.IsLinux()) return;
        string boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim().Replace("-", "")[..8];
        Assert.Contains($".{boot}.", local);
        Assert.EndsWith("." + MachineIdentity.MountDevice(File.ReadAllText("/proc/self/mountinfo"), "/dev/shm"), local);
    }
}
