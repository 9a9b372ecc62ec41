// GCC 13's <iostream> makes every object reference std::ios_base_library_init() (versioned GLIBCXX_3.4.32) as a
// marker that forces a new enough libstdc++. GCC 12's libstdc++ (Debian 12) lacks it; the call is a no-op marker.
namespace std { void ios_base_library_init() {} }
