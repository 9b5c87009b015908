package mscs

import (
	"clusterscript/runtime/core"
	"slices"
	"testing"
)

// Every Windows version a server can run has a profile, and the table
// holds nothing else.
func TestEveryVersionHasAProfile(t *testing.T) {
	for _, v := range core.Versions {
		if _, ok := profiles[v]; !ok {
			t.Errorf("Windows Server %s has no profile", v)
		}
	}
	if len(profiles) != len(core.Versions) {
		t.Errorf("%d profiles for %d versions", len(profiles), len(core.Versions))
	}
	if (&Cluster{Version: "1999"}).profile().maxNodes != 8 {
		t.Error("an unknown version does not get the 2003 profile")
	}
}

// dependencyLab is a cluster of the given version with group App: App IP ←
// App Name, App Disk, and Svc depending on App Name, everything Online.
func dependencyLab(t *testing.T, version string) *World {
	t.Helper()
	l := newLab(t, labSpec{nodes: 2, dataDisks: 2, version: version})
	l.cluster(t, "")
	_, err := l.w.NewGroup(labCluster, GroupSpec{Name: "App"})
	mustDo(t, err)
	setupAppNameAndDisk(t, l)
	_, err = l.w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "Svc", Type: TypeGenericService, Dependencies: []string{"App Name"}, Params: map[string]string{"service": "x"}})
	mustDo(t, err)
	mustDo(t, l.w.BringOnline(labCluster, "App", true))
	return l.w
}

// On Windows Server 2003 a resource's dependencies change only while it is
// Offline (AddClusterResourceDependency fails with ERROR_RESOURCE_ONLINE);
// 2008 and later change them online.
func TestDependenciesChangeOnlineByVersion(t *testing.T) {
	changes := []struct {
		name string
		op   func(w *World) error
		want []string
	}{
		{"add_dependency", func(w *World) error { return w.AddDependency(labCluster, "Svc", "App Disk") }, []string{"App Name", "App Disk"}},
		{"remove_dependency", func(w *World) error { return w.RemoveDependency(labCluster, "Svc", "App Name") }, nil},
		{"set_dependencies", func(w *World) error { return w.SetDependencies(labCluster, "Svc", []string{"App Disk"}) }, []string{"App Disk"}},
	}
	for _, ch := range changes {
		t.Run(ch.name+" on 2003", func(t *testing.T) {
			w := dependencyLab(t, "2003")
			refused(t, w, core.ErrState, `resource "Svc" is Online, and on Windows Server 2003 a resource's dependencies change only while it is Offline (ERROR_RESOURCE_ONLINE); take "Svc" offline first`, func() error { return ch.op(w) })
			// The fix the message gives works.
			mustDo(t, w.TakeOffline(labCluster, "Svc", false))
			mustDo(t, ch.op(w))
			if got := mustResource(t, w, "Svc").Dependencies; !slices.Equal(got, ch.want) {
				t.Errorf("dependencies %v, want %v", got, ch.want)
			}
		})
		t.Run(ch.name+" on 2008", func(t *testing.T) {
			w := dependencyLab(t, "2008")
			mustDo(t, ch.op(w))
			svc := mustResource(t, w, "Svc")
			if !slices.Equal(svc.Dependencies, ch.want) || svc.State != Online {
				t.Errorf("dependencies %v, state %s; want %v, Online", svc.Dependencies, svc.State, ch.want)
			}
		})
	}
	// Where the change is allowed online, an Online resource still cannot
	// take a provider that is not running.
	t.Run("an Offline provider under an Online resource on 2008", func(t *testing.T) {
		w := dependencyLab(t, "2008")
		mustDo(t, w.TakeOffline(labCluster, "App Disk", false))
		refused(t, w, core.ErrState, `resource "Svc" is Online but "App Disk" is Offline`, func() error { return w.AddDependency(labCluster, "Svc", "App Disk") })
	})
}
