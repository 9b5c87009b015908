package builtins

import (
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

func TestRenderWorld(t *testing.T) {
	if got, want := drawWorld(sim.New()), "World at 2004-01-05 08:00:00: 0 events, no timers pending\n  (nothing built yet)\n"; got != want {
		t.Errorf("empty world:\n%s\nwant:\n%s", got, want)
	}
	w := sim.New()
	if _, err := w.CreateDomain("corp.example.com", ""); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"NODE1", "WEB10"} {
		if _, err := w.InstallServer(name, "enterprise", "2003", []string{"Public", "Heartbeat"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.ConfigureTCPIP("NODE1", "Public", core.TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", Gateway: "10.0.0.1", ExtraIPs: []string{"10.0.0.100"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.JoinDomain("NODE1", "corp.example.com"); err != nil {
		t.Fatal(err)
	}
	if err := w.InstallComponent("NODE1", "WWW"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.CreateSharedDisk(core.DiskSpec{Label: "Quorum", SizeGB: 0.5, Servers: []string{"NODE1", "WEB10"}, Kind: "basic", FS: "NTFS", Letter: "Q:"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.CreateSharedDisk(core.DiskSpec{Label: "Spare", SizeGB: 20, Servers: []string{"WEB10"}, Kind: "dynamic", FS: "raw"}); err != nil {
		t.Fatal(err)
	}
	// Faults have no engine methods yet in this package's view; set the
	// flags the way a fault would.
	w.Servers[1].Running = false
	w.Servers[1].Adapters[1].Failed = true
	w.Disks[1].Failed = true
	want := `World at 2004-01-05 08:00:00: 8 events, no timers pending
Domains
  corp.example.com (CORP)
    accounts: Administrator
Servers
  NODE1  Windows Server 2003 Enterprise, running, member of corp.example.com
    Public     10.0.0.11/24 mixed, gateway 10.0.0.1, also 10.0.0.100
    Heartbeat  not configured
    components: IIS, WWW
  WEB10  Windows Server 2003 Enterprise, DOWN
    Public     not configured
    Heartbeat  not configured, FAILED
Shared disks
  Quorum  Q: basic NTFS, 0.5 GB, seen by NODE1, WEB10
  Spare   -- dynamic raw, 20 GB, seen by WEB10, FAILED
`
	if got := drawWorld(w); got != want {
		t.Errorf("drawWorld:\n%s\nwant:\n%s", got, want)
	}
}
