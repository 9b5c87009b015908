package core

import (
	"bytes"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"

	"clusterscript/runtime/enginetest"
)

func must[T any](t *testing.T) func(T, error) T {
	t.Helper()
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("setting up: %v", err)
		}
		return v
	}
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("setting up: %v", err)
	}
}

// labWorld is the world most tests start from: a domain with a service
// account; NODE1 and NODE2 (enterprise) with Public 10.0.0.0/24 and Private
// 192.168.1.0/24, joined; WEB1 (web edition, one adapter LAN with an NLB-style
// extra address); a basic NTFS quorum disk Q: and an empty dynamic disk on
// the nodes' bus.
func labWorld(t *testing.T) *World {
	t.Helper()
	w := testWorld()
	must[*Domain](t)(w.CreateDomain("corp.example.com", ""))
	must[*User](t)(w.CreateUser("corp.example.com", "clussvc", "pw", nil))
	for i, n := range []string{"NODE1", "NODE2"} {
		must[*Server](t)(w.InstallServer(n, "enterprise", "2003", []string{"Public", "Private"}))
		ok(t, w.ConfigureTCPIP(n, "Public", TCPIPSpec{IP: "10.0.0.1" + string(rune('1'+i)), Mask: "255.255.255.0", Gateway: "10.0.0.1"}))
		ok(t, w.ConfigureTCPIP(n, "Private", TCPIPSpec{IP: "192.168.1.1" + string(rune('1'+i)), Mask: "255.255.255.0"}))
		ok(t, w.JoinDomain(n, "CORP"))
	}
	must[*Server](t)(w.InstallServer("WEB1", "web", "2003", []string{"LAN"}))
	ok(t, w.ConfigureTCPIP("WEB1", "LAN", TCPIPSpec{IP: "10.0.0.50", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.100"}}))
	must[*Disk](t)(w.CreateSharedDisk(DiskSpec{Label: "Quorum", SizeGB: 0.5, Servers: []string{"NODE1", "NODE2"}, Kind: "basic", FS: "NTFS", Letter: "Q:"}))
	must[*Disk](t)(w.CreateSharedDisk(DiskSpec{Label: "Dyn", SizeGB: 10, Servers: []string{"NODE1", "NODE2"}, Kind: "dynamic", FS: "raw"}))
	return w
}

func save(t *testing.T, w *World) []byte {
	t.Helper()
	b, err := w.Save()
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	return b
}

// builtinPrefix matches a message that names a builtin ("add_node: ..."):
// Starlark adds that itself, so engine messages must not.
var builtinPrefix = regexp.MustCompile(`^[a-z_]+: `)

// TestRefusals checks every refusal of world.go: the error kind, the words
// an administrator needs, and that the world — events included — is
// byte-for-byte unchanged afterwards.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, w *World)
		call  func(w *World) error
		kind  error
		want  string
	}{
		// Domains and accounts.
		{name: "domain single label", call: func(w *World) error { _, err := w.CreateDomain("corp", ""); return err },
			kind: ErrInvalid, want: `domain name "corp" is a single label`},
		{name: "domain bad character", call: func(w *World) error { _, err := w.CreateDomain("my_corp.com", ""); return err },
			kind: ErrInvalid, want: `contains '_'`},
		{name: "domain empty label", call: func(w *World) error { _, err := w.CreateDomain("corp..com", ""); return err },
			kind: ErrInvalid, want: "empty or over-long label"},
		{name: "domain label hyphen", call: func(w *World) error { _, err := w.CreateDomain("-corp.com", ""); return err },
			kind: ErrInvalid, want: "starts or ends with a hyphen"},
		{name: "domain duplicate", call: func(w *World) error { _, err := w.CreateDomain("CORP.example.com", ""); return err },
			kind: ErrConflict, want: `domain "CORP.example.com" already exists (NetBIOS CORP)`},
		{name: "domain NetBIOS taken", call: func(w *World) error { _, err := w.CreateDomain("other.example.com", "corp"); return err },
			kind: ErrConflict, want: "NetBIOS name CORP is already used by domain \"corp.example.com\""},
		{name: "domain NetBIOS is a server", call: func(w *World) error { _, err := w.CreateDomain("node1.example.com", ""); return err },
			kind: ErrConflict, want: "NetBIOS name NODE1 is already a server's name"},
		{name: "domain first label too long", call: func(w *World) error { _, err := w.CreateDomain("engineeringdivision.example.com", ""); return err },
			kind: ErrInvalid, want: "pass netbios= explicitly"},
		{name: "domain bad NetBIOS", call: func(w *World) error { _, err := w.CreateDomain("other.example.com", "OT HER"); return err },
			kind: ErrInvalid, want: `NetBIOS domain name "OT HER" contains ' '`},
		{name: "domain lookup", call: func(w *World) error { _, err := w.Domain("corp.exmple.com"); return err },
			kind: ErrNotFound, want: `no domain named "corp.exmple.com"; did you mean "corp.example.com"?`},
		{name: "user unknown domain", call: func(w *World) error { _, err := w.CreateUser("CROP", "bob", "", nil); return err },
			kind: ErrNotFound, want: `no domain named "CROP"`},
		{name: "user empty name", call: func(w *World) error { _, err := w.CreateUser("CORP", "", "", nil); return err },
			kind: ErrInvalid, want: "must have 1–20 characters"},
		{name: "user long name", call: func(w *World) error { _, err := w.CreateUser("CORP", strings.Repeat("a", 21), "", nil); return err },
			kind: ErrInvalid, want: "must have 1–20 characters"},
		{name: "user bad character", call: func(w *World) error { _, err := w.CreateUser("CORP", "a/b", "", nil); return err },
			kind: ErrInvalid, want: `account name "a/b" contains '/'`},
		{name: "user duplicate", call: func(w *World) error { _, err := w.CreateUser("CORP", "administrator", "", nil); return err },
			kind: ErrConflict, want: `account CORP\administrator already exists`},
		{name: "user unknown group", call: func(w *World) error {
			_, err := w.CreateUser("CORP", "bob", "", []string{"Domain Users", "Domain Admin"})
			return err
		}, kind: ErrNotFound, want: `no group in domain corp.example.com named "Domain Admin"; did you mean "Domain Admins"?`},
		{name: "account without domain", call: func(w *World) error { _, err := w.User("clussvc"); return err },
			kind: ErrInvalid, want: `account "clussvc" has no domain`},
		{name: "account unknown", call: func(w *World) error { _, err := w.User(`CORP\clusvc`); return err },
			kind: ErrNotFound, want: `no account in domain CORP named "clusvc"; did you mean "clussvc"?`},
		{name: "add to group unknown user", call: func(w *World) error { return w.AddToGroup(`CORP\nobody`, "Domain Admins") },
			kind: ErrNotFound, want: `no account in domain CORP named "nobody"`},
		{name: "add to unknown group", call: func(w *World) error { return w.AddToGroup(`CORP\clussvc`, "Exchange Admin") },
			kind: ErrNotFound, want: `did you mean "Exchange Admins"?`},

		// Servers.
		{name: "server empty name", call: func(w *World) error { _, err := w.InstallServer("", "enterprise", "2003", []string{"LAN"}); return err },
			kind: ErrInvalid, want: "server name is empty"},
		{name: "server long name", call: func(w *World) error {
			_, err := w.InstallServer("EXCHANGECLUSTER1", "enterprise", "2003", []string{"LAN"})
			return err
		}, kind: ErrInvalid, want: "has 16 characters; NetBIOS names have at most 15"},
		{name: "server bad character", call: func(w *World) error {
			_, err := w.InstallServer("NODE_3", "enterprise", "2003", []string{"LAN"})
			return err
		},
			kind: ErrInvalid, want: `server name "NODE_3" contains '_'`},
		{name: "server all digits", call: func(w *World) error {
			_, err := w.InstallServer("2003", "enterprise", "2003", []string{"LAN"})
			return err
		},
			kind: ErrInvalid, want: "is all digits"},
		{name: "unknown edition", call: func(w *World) error {
			_, err := w.InstallServer("NODE3", "enterprize", "2003", []string{"LAN"})
			return err
		},
			kind: ErrInvalid, want: `unknown edition "enterprize" (did you mean "enterprise"?); use one of "standard", "enterprise", "datacenter", "web"`},
		{name: "unknown version", call: func(w *World) error {
			_, err := w.InstallServer("NODE3", "enterprise", "2005", []string{"LAN"})
			return err
		},
			kind: ErrInvalid, want: `unknown version "2005"`},
		{name: "duplicate server", call: func(w *World) error {
			_, err := w.InstallServer("node1", "standard", "2003", []string{"LAN"})
			return err
		},
			kind: ErrConflict, want: "a server named node1 already exists"},
		{name: "server named like the domain", call: func(w *World) error {
			_, err := w.InstallServer("CORP", "standard", "2003", []string{"LAN"})
			return err
		},
			kind: ErrConflict, want: "CORP is the NetBIOS name of domain corp.example.com"},
		{name: "server without adapters", call: func(w *World) error { _, err := w.InstallServer("NODE3", "enterprise", "2003", nil); return err },
			kind: ErrInvalid, want: "needs at least one network adapter"},
		{name: "server empty adapter name", call: func(w *World) error {
			_, err := w.InstallServer("NODE3", "enterprise", "2003", []string{"LAN", " "})
			return err
		},
			kind: ErrInvalid, want: "an adapter name is empty"},
		{name: "server duplicate adapter", call: func(w *World) error {
			_, err := w.InstallServer("NODE3", "enterprise", "2003", []string{"Public", "public"})
			return err
		}, kind: ErrConflict, want: `adapter "public" is listed twice`},
		{name: "server lookup", call: func(w *World) error { _, err := w.Server("NODE3"); return err },
			kind: ErrNotFound, want: `no server named "NODE3"; did you mean "NODE1"?`},

		// TCP/IP.
		{name: "tcpip unknown server", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE9", "Public", TCPIPSpec{IP: "10.0.0.9", Mask: "255.255.255.0"})
		},
			kind: ErrNotFound, want: `no server named "NODE9"`},
		{name: "tcpip unknown adapter", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Pubic", TCPIPSpec{IP: "10.0.0.9", Mask: "255.255.255.0"})
		},
			kind: ErrNotFound, want: `no adapter on NODE1 named "Pubic"; did you mean "Public"?`},
		{name: "tcpip octet too large", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.256", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: `address "10.0.0.256" is not an IPv4 address`},
		{name: "tcpip three octets", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: `address "10.0.0" is not an IPv4 address`},
		{name: "tcpip IPv6", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "fe80::1", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: "is not an IPv4 address"},
		{name: "tcpip mapped IPv6", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "::ffff:10.0.0.9", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: "is not an IPv4 address"},
		{name: "tcpip leading zero", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.09", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: "is not an IPv4 address"},
		{name: "tcpip mask not contiguous", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.9", Mask: "255.0.255.0"})
		},
			kind: ErrInvalid, want: `subnet mask "255.0.255.0" is not contiguous`},
		{name: "tcpip mask hole", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.9", Mask: "255.255.255.1"})
		},
			kind: ErrInvalid, want: "is not contiguous"},
		{name: "tcpip mask all ones", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.9", Mask: "255.255.255.255"})
		},
			kind: ErrInvalid, want: "leaves no room for hosts"},
		{name: "tcpip mask zero", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.9", Mask: "0.0.0.0"})
		},
			kind: ErrInvalid, want: "leaves no room for hosts"},
		{name: "tcpip mask malformed", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.9", Mask: "/24"})
		},
			kind: ErrInvalid, want: `subnet mask "/24" is not a dotted-quad mask`},
		{name: "tcpip network address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.0", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: "address 10.0.0.0 is the network address of 10.0.0.0/24"},
		{name: "tcpip broadcast address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.255", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: "address 10.0.0.255 is the broadcast address of 10.0.0.0/24"},
		{name: "tcpip loopback", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "127.0.0.1", Mask: "255.0.0.0"})
		},
			kind: ErrInvalid, want: "is not a unicast host address"},
		{name: "tcpip multicast", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "224.0.0.5", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: "is not a unicast host address"},
		{name: "tcpip unspecified", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "0.0.0.0", Mask: "255.255.255.0"})
		},
			kind: ErrInvalid, want: "is not a unicast host address"},
		{name: "tcpip APIPA", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "169.254.3.4", Mask: "255.255.0.0"})
		},
			kind: ErrInvalid, want: "automatic private (APIPA) address"},
		{name: "tcpip duplicate address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE2", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0"})
		},
			kind: ErrConflict, want: "address 10.0.0.11 is already used by adapter NODE1 Public"},
		{name: "tcpip address is another adapter's extra", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE2", "Public", TCPIPSpec{IP: "10.0.0.100", Mask: "255.255.255.0"})
		}, kind: ErrConflict, want: "address 10.0.0.100 is already used by an extra address of adapter WEB1 LAN"},
		{name: "tcpip two adapters on one subnet", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Private", TCPIPSpec{IP: "10.0.0.99", Mask: "255.255.255.0"})
		}, kind: ErrConflict, want: "NODE1 adapter Public is already on subnet 10.0.0.0/24"},
		{name: "tcpip gateway off subnet", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", Gateway: "10.0.1.1"})
		}, kind: ErrInvalid, want: "gateway 10.0.1.1 is not another address in 10.0.0.0/24"},
		{name: "tcpip gateway is the address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", Gateway: "10.0.0.11"})
		}, kind: ErrInvalid, want: "gateway 10.0.0.11 is not another address"},
		{name: "tcpip gateway is the broadcast address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", Gateway: "10.0.0.255"})
		}, kind: ErrInvalid, want: "gateway 10.0.0.255 is the broadcast address of 10.0.0.0/24"},
		{name: "tcpip gateway is the network address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", Gateway: "10.0.0.0"})
		}, kind: ErrInvalid, want: "gateway 10.0.0.0 is the network address of 10.0.0.0/24"},
		{name: "tcpip gateway malformed", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", Gateway: "10.0.0.x"})
		}, kind: ErrInvalid, want: `gateway "10.0.0.x" is not an IPv4 address`},
		{name: "tcpip unknown role", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", Role: "privat"})
		},
			kind: ErrInvalid, want: `unknown adapter role "privat" (did you mean "private"?); use one of "private", "public", "mixed"`},
		{name: "tcpip extra off subnet", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.1.100"}})
		}, kind: ErrInvalid, want: "extra address 10.0.1.100 is outside 10.0.0.0/24"},
		{name: "tcpip extra malformed", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.1000"}})
		}, kind: ErrInvalid, want: `extra address "10.0.0.1000" is not an IPv4 address`},
		{name: "tcpip extra broadcast", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.255"}})
		}, kind: ErrInvalid, want: "extra address 10.0.0.255 is the broadcast address"},
		{name: "tcpip extra listed twice", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.100", "10.0.0.100"}})
		}, kind: ErrConflict, want: "address 10.0.0.100 is listed twice on NODE1 Public"},
		{name: "tcpip extra is the address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.11"}})
		}, kind: ErrConflict, want: "listed twice"},
		{name: "tcpip extra is another adapter's address", call: func(w *World) error {
			return w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.12"}})
		}, kind: ErrConflict, want: "address 10.0.0.12 is already used by adapter NODE2 Public"},
		{name: "tcpip server down", setup: func(t *testing.T, w *World) { must[*Server](t)(w.Server("NODE2")).Running = false },
			call: func(w *World) error {
				return w.ConfigureTCPIP("NODE2", "Public", TCPIPSpec{IP: "10.0.0.22", Mask: "255.255.255.0"})
			},
			kind: ErrState, want: "server NODE2 is not running; boot it before you configure its network"},

		// Domain membership.
		{name: "join unknown server", call: func(w *World) error { return w.JoinDomain("WEB2", "CORP") },
			kind: ErrNotFound, want: `no server named "WEB2"; did you mean "WEB1"?`},
		{name: "join unknown domain", call: func(w *World) error { return w.JoinDomain("WEB1", "CORPP") },
			kind: ErrNotFound, want: `no domain named "CORPP"`},
		{name: "join unconfigured", setup: func(t *testing.T, w *World) {
			must[*Server](t)(w.InstallServer("WEB2", "web", "2003", []string{"LAN"}))
		}, call: func(w *World) error { return w.JoinDomain("WEB2", "CORP") },
			kind: ErrPrereq, want: "server WEB2 has no configured adapter and cannot reach a domain controller; call configure_tcpip first"},
		{name: "join second domain", setup: func(t *testing.T, w *World) {
			must[*Domain](t)(w.CreateDomain("lab.example.com", ""))
		}, call: func(w *World) error { return w.JoinDomain("NODE1", "LAB") },
			kind: ErrConflict, want: "server NODE1 is already a member of domain corp.example.com"},
		{name: "join server down", setup: func(t *testing.T, w *World) { must[*Server](t)(w.Server("WEB1")).Running = false },
			call: func(w *World) error { return w.JoinDomain("WEB1", "CORP") },
			kind: ErrState, want: "server WEB1 is not running"},

		// Components.
		{name: "unknown component", call: func(w *World) error { return w.InstallComponent("NODE1", "IIS6") },
			kind: ErrInvalid, want: `unknown Windows component "IIS6" (did you mean "IIS"?)`},
		{name: "component unknown server", call: func(w *World) error { return w.InstallComponent("NODE3", "IIS") },
			kind: ErrNotFound, want: `no server named "NODE3"`},
		{name: "component server down", setup: func(t *testing.T, w *World) { must[*Server](t)(w.Server("NODE1")).Running = false },
			call: func(w *World) error { return w.InstallComponent("NODE1", "IIS") },
			kind: ErrState, want: "boot it before you install components"},

		// Shared disks.
		{name: "disk empty label", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: " ", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "raw"})
			return err
		},
			kind: ErrInvalid, want: "disk label is empty"},
		{name: "disk duplicate label", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "QUORUM", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "raw"})
			return err
		}, kind: ErrConflict, want: `a disk labelled "QUORUM" already exists`},
		{name: "disk zero size", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", Servers: []string{"NODE1"}, Kind: "basic", FS: "raw"})
			return err
		},
			kind: ErrInvalid, want: "size_gb must be positive, got 0"},
		{name: "disk negative size", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: -5, Servers: []string{"NODE1"}, Kind: "basic", FS: "raw"})
			return err
		},
			kind: ErrInvalid, want: "size_gb must be positive, got -5"},
		{name: "disk NaN size", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: math.NaN(), Servers: []string{"NODE1"}, Kind: "basic", FS: "raw"})
			return err
		}, kind: ErrInvalid, want: "size_gb must be positive"},
		{name: "disk unknown kind", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "Basic", FS: "raw"})
			return err
		},
			kind: ErrInvalid, want: `unknown disk kind "Basic" (did you mean "basic"?)`},
		{name: "disk unknown fs", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS5"})
			return err
		},
			kind: ErrInvalid, want: `unknown file system "NTFS5" (did you mean "NTFS"?)`},
		{name: "disk on no bus", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Kind: "basic", FS: "raw"})
			return err
		},
			kind: ErrInvalid, want: "disk D is on no server's bus"},
		{name: "disk unknown server", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1", "NODE3"}, Kind: "basic", FS: "raw"})
			return err
		}, kind: ErrNotFound, want: `no server named "NODE3"`},
		{name: "disk server twice", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1", "node1"}, Kind: "basic", FS: "raw"})
			return err
		}, kind: ErrConflict, want: "disk D: server NODE1 is listed twice"},
		{name: "disk letter malformed", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "QR:"})
			return err
		}, kind: ErrInvalid, want: `drive letter "QR:" is not a letter`},
		{name: "disk letter digit", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "1"})
			return err
		},
			kind: ErrInvalid, want: `drive letter "1" is not a letter`},
		{name: "disk letter floppy", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "a:"})
			return err
		},
			kind: ErrInvalid, want: "drive letter A: is reserved for floppy drives"},
		{name: "disk letter system", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "C"})
			return err
		},
			kind: ErrConflict, want: "drive letter C: is each server's system drive"},
		{name: "disk letter on raw", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "raw", Letter: "R:"})
			return err
		},
			kind: ErrInvalid, want: "disk D is raw, so it has no volume to give letter R:"},
		{name: "disk letter used", call: func(w *World) error {
			_, err := w.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE2"}, Kind: "basic", FS: "NTFS", Letter: "q"})
			return err
		}, kind: ErrConflict, want: "drive letter Q: is already used by disk Quorum on a server of this bus"},
		{name: "disk lookup", call: func(w *World) error { _, err := w.Disk("Quorom"); return err },
			kind: ErrNotFound, want: `no shared disk named "Quorom"; did you mean "Quorum"?`},
		{name: "format unknown disk", call: func(w *World) error { return w.FormatDisk("Data", "R:", "NTFS") },
			kind: ErrNotFound, want: `no shared disk named "Data"`},
		{name: "format bad letter", call: func(w *World) error { return w.FormatDisk("Dyn", "RR", "NTFS") },
			kind: ErrInvalid, want: `drive letter "RR" is not a letter`},
		{name: "format raw", call: func(w *World) error { return w.FormatDisk("Dyn", "R:", "raw") },
			kind: ErrInvalid, want: `unknown file system "raw"; use one of "NTFS", "FAT32", "FAT"`},
		{name: "format letter used", call: func(w *World) error { return w.FormatDisk("Dyn", "Q:", "NTFS") },
			kind: ErrConflict, want: "drive letter Q: is already used by disk Quorum"},
		{name: "convert unknown disk", call: func(w *World) error { return w.ConvertToBasic("Dyn2") },
			kind: ErrNotFound, want: `no shared disk named "Dyn2"; did you mean "Dyn"?`},
		{name: "convert with a volume", setup: func(t *testing.T, w *World) { ok(t, w.FormatDisk("Dyn", "R:", "NTFS")) },
			call: func(w *World) error { return w.ConvertToBasic("Dyn") },
			kind: ErrState, want: "disk Dyn is dynamic with an NTFS volume; Windows converts only an empty dynamic disk to basic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := labWorld(t)
			if tc.setup != nil {
				tc.setup(t, w)
			}
			before := save(t, w)
			err := tc.call(w)
			if err == nil {
				t.Fatalf("no error; want %v containing %q", tc.kind, tc.want)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %q is not %v", err, tc.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %q is a %T, not a *runtime.Error", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error\n  %s\ndoes not contain\n  %s", err, tc.want)
			}
			if builtinPrefix.MatchString(err.Error()) {
				t.Errorf("error %q names a builtin; Starlark adds that", err)
			}
			if after := save(t, w); !bytes.Equal(before, after) {
				t.Fatalf("the refused call changed the world:\nbefore %s\nafter  %s", before, after)
			}
			enginetest.SameRefusal(t, err, func() error { return tc.call(w) })
		})
	}
}

// appended returns the texts of the events after the first n.
func appended(w *World, n int) []string {
	var out []string
	for _, e := range w.Log()[n:] {
		out = append(out, e.Kind+" "+e.Text)
	}
	return out
}

func eqStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestDomainsAndAccounts(t *testing.T) {
	w := testWorld()
	d := must[*Domain](t)(w.CreateDomain("corp.example.com", ""))
	if d.NetBIOS != "CORP" {
		t.Errorf("NetBIOS = %q, want CORP (first label upper-cased)", d.NetBIOS)
	}
	eqStrings(t, "groups", d.Groups(), []string{"Domain Admins", "Domain Users", "Exchange Admins"})
	admin := must[*User](t)(w.User(`corp\ADMINISTRATOR`))
	if admin.QualifiedName() != `CORP\Administrator` || !admin.InGroup("domain admins") {
		t.Errorf("Administrator = %+v, want CORP\\Administrator in Domain Admins", admin)
	}
	d2 := must[*Domain](t)(w.CreateDomain("lab.example.com", "testlab"))
	if d2.NetBIOS != "TESTLAB" {
		t.Errorf("explicit NetBIOS = %q, want TESTLAB", d2.NetBIOS)
	}
	for _, name := range []string{"CORP", "corp.EXAMPLE.com", "testlab"} {
		if _, err := w.Domain(name); err != nil {
			t.Errorf("Domain(%q): %v", name, err)
		}
	}

	n := len(w.Log())
	u := must[*User](t)(w.CreateUser("CORP", "exadmin", "pw", []string{"exchange admins", "Domain Admins", "Domain Admins"}))
	eqStrings(t, "exadmin groups", u.Groups, []string{"Domain Admins", "Domain Users", "Exchange Admins"})
	ok(t, w.AddToGroup(`CORP\exadmin`, "domain admins"))
	must[*User](t)(w.CreateUser("CORP", "svc", "", nil))
	ok(t, w.AddToGroup(`corp.example.com\svc`, "Exchange Admins"))
	eqStrings(t, "events", appended(w, n), []string{
		`world user CORP\exadmin created, member of Domain Admins, Domain Users, Exchange Admins`,
		`world user CORP\exadmin is already a member of Domain Admins`,
		`world user CORP\svc created, member of Domain Users`,
		`world user CORP\svc added to Exchange Admins`,
	})
	eqStrings(t, "svc groups", must[*User](t)(w.User(`CORP\svc`)).Groups, []string{"Domain Users", "Exchange Admins"})
}

func TestServersAndAddresses(t *testing.T) {
	w := labWorld(t)
	s := must[*Server](t)(w.Server("node1"))
	if s.Name != "NODE1" || !s.Clustering() || !s.Running || s.Domain != "corp.example.com" {
		t.Errorf("NODE1 = %+v", s)
	}
	if web := must[*Server](t)(w.Server("WEB1")); web.Clustering() {
		t.Error("a web edition server runs the Cluster service")
	}
	pub := must[*Adapter](t)(s.Adapter("public"))
	priv := must[*Adapter](t)(s.Adapter("Private"))
	if pub.Role != "mixed" || priv.Role != "private" {
		t.Errorf("default roles: Public %q, Private %q; want mixed, private", pub.Role, priv.Role)
	}
	if pub.Prefix().String() != "10.0.0.0/24" {
		t.Errorf("Public prefix = %s", pub.Prefix())
	}
	for ip, want := range map[string]string{
		"10.0.0.11":  "adapter NODE1 Public",
		"10.0.0.100": "an extra address of adapter WEB1 LAN",
	} {
		if got, used := w.AddressInUse(ip); !used || got != want {
			t.Errorf("AddressInUse(%s) = %q, %v; want %q", ip, got, used, want)
		}
	}
	if _, used := w.AddressInUse("10.0.0.99"); used {
		t.Error("10.0.0.99 is reported in use")
	}

	// Reconfiguring releases the old addresses: another server can take them.
	n := len(w.Log())
	ok(t, w.ConfigureTCPIP("NODE1", "Public", TCPIPSpec{IP: "10.0.0.21", Mask: "255.255.255.0", Gateway: "10.0.0.1", ExtraIPs: []string{"10.0.0.22"}, Role: "public"}))
	must[*Server](t)(w.InstallServer("NODE3", "datacenter", "2008", []string{"Public"}))
	ok(t, w.ConfigureTCPIP("NODE3", "Public", TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.0.0"}))
	// An extra address may be bound on several adapters (an NLB cluster IP).
	must[*Server](t)(w.InstallServer("WEB2", "standard", "2003", []string{"LAN"}))
	ok(t, w.ConfigureTCPIP("WEB2", "LAN", TCPIPSpec{IP: "10.0.0.51", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.100"}}))
	// Reapplying an adapter's own settings is no conflict.
	ok(t, w.ConfigureTCPIP("WEB2", "LAN", TCPIPSpec{IP: "10.0.0.51", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.100"}, Role: "public"}))
	eqStrings(t, "events", appended(w, n), []string{
		"world NODE1 adapter Public: 10.0.0.21/24, role public, gateway 10.0.0.1, also 10.0.0.22",
		"world server NODE3 installed: Windows Server 2008 Datacenter edition, adapters Public",
		"world NODE3 adapter Public: 10.0.0.11/16, role mixed",
		"world server WEB2 installed: Windows Server 2003 Standard edition, adapters LAN",
		"world WEB2 adapter LAN: 10.0.0.51/24, role mixed, also 10.0.0.100",
		"world WEB2 adapter LAN: 10.0.0.51/24, role public, also 10.0.0.100",
	})
	if got, _ := w.AddressInUse("10.0.0.11"); got != "adapter NODE3 Public" {
		t.Errorf("10.0.0.11 is used by %q after the move, want NODE3's", got)
	}
	// The index survives a state file.
	w2, err := Load(save(t, w))
	if err != nil {
		t.Fatal(err)
	}
	err = w2.ConfigureTCPIP("WEB2", "LAN", TCPIPSpec{IP: "10.0.0.22", Mask: "255.255.255.0"})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "an extra address of adapter NODE1 Public") {
		t.Errorf("after a reload, taking NODE1's extra address gives %v", err)
	}

	// Joining again is harmless; it says so.
	n = len(w.Log())
	ok(t, w.JoinDomain("NODE1", "CORP"))
	eqStrings(t, "rejoin", appended(w, n), []string{"world server NODE1 is already a member of corp.example.com"})
}

func TestComponents(t *testing.T) {
	w := labWorld(t)
	n := len(w.Log())
	ok(t, w.InstallComponent("NODE1", "asp.net"))
	ok(t, w.InstallComponent("NODE1", "SMTP"))
	ok(t, w.InstallComponent("NODE1", "iis"))
	ok(t, w.InstallComponent("NODE2", "NNTP"))
	eqStrings(t, "events", appended(w, n), []string{
		"world ASP.NET installed on NODE1 (with IIS, WWW, .NET Framework)",
		"world SMTP installed on NODE1",
		"world IIS is already installed on NODE1",
		"world NNTP installed on NODE2 (with IIS)",
	})
	s := must[*Server](t)(w.Server("NODE1"))
	eqStrings(t, "components", s.Components, []string{".NET Framework", "ASP.NET", "IIS", "SMTP", "WWW"})
	if !s.HasComponent("WWW") || s.HasComponent("NNTP") {
		t.Errorf("HasComponent wrong for %v", s.Components)
	}
}

func TestDisks(t *testing.T) {
	w := labWorld(t)
	n := len(w.Log())
	data := must[*Disk](t)(w.CreateSharedDisk(DiskSpec{Label: "Data1", SizeGB: 100, Servers: []string{"node2", "NODE1"}, Kind: "basic", FS: "ntfs", Letter: "r"}))
	if data.Letter != "R:" || data.FS != "NTFS" || data.Servers[0] != "NODE2" {
		t.Errorf("Data1 = %+v; want letter R:, fs NTFS, servers as given with canonical names", data)
	}
	// The same letter on a bus no common server sees is fine.
	must[*Server](t)(w.InstallServer("NODE3", "enterprise", "2003", []string{"Public"}))
	must[*Disk](t)(w.CreateSharedDisk(DiskSpec{Label: "Other", SizeGB: 1, Servers: []string{"NODE3"}, Kind: "basic", FS: "FAT32", Letter: "Q:"}))
	ok(t, w.FormatDisk("Dyn", "s", "fat"))
	ok(t, w.FormatDisk("Dyn", "S:", "NTFS")) // reformatting keeps its own letter
	ok(t, w.ConvertToBasic("Quorum"))
	eqStrings(t, "events", appended(w, n), []string{
		"world shared disk Data1 created: 100 GB, basic NTFS R:, signature " + diskSignature("Data1") + ", seen by NODE2, NODE1",
		"world server NODE3 installed: Windows Server 2003 Enterprise edition, adapters Public",
		"world shared disk Other created: 1 GB, basic FAT32 Q:, signature " + diskSignature("Other") + ", seen by NODE3",
		"world disk Dyn formatted FAT as S:",
		"world disk Dyn formatted NTFS as S:",
		"world disk Quorum is already basic",
	})
	if diskSignature("Data1") == diskSignature("Data2") || len(diskSignature("Data1")) != 8 {
		t.Errorf("signatures are not distinct 8-hex-digit values: %s %s", diskSignature("Data1"), diskSignature("Data2"))
	}
	if !data.Sees("node1") || data.Sees("WEB1") {
		t.Error("Sees is wrong")
	}

	// Clusterable explains what is missing, in the order an administrator fixes it.
	raw := must[*Disk](t)(w.CreateSharedDisk(DiskSpec{Label: "Raw", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "dynamic", FS: "raw"}))
	for _, step := range []struct {
		want string
		fix  func() error
	}{
		{"cluster disks must be basic", func() error { return w.ConvertToBasic("Raw") }},
		{"cluster disks must be NTFS", func() error { return w.FormatDisk("Raw", "T:", "NTFS") }},
	} {
		err := raw.Clusterable()
		if !errors.Is(err, ErrPrereq) || !strings.Contains(err.Error(), step.want) {
			t.Errorf("Clusterable() = %v, want %q", err, step.want)
		}
		ok(t, step.fix())
	}
	if err := raw.Clusterable(); err != nil {
		t.Errorf("a basic NTFS lettered disk: %v", err)
	}
	raw.Letter = ""
	if err := raw.Clusterable(); err == nil || !strings.Contains(err.Error(), "has no drive letter") {
		t.Errorf("an unlettered disk: %v", err)
	}
}

func TestNotFound(t *testing.T) {
	if err := NotFound("server", "NODE3", []string{"NODE1", "Quorum"}); !strings.Contains(err.Error(), `did you mean "NODE1"?`) {
		t.Errorf("notFound suggests the nearest name: %v", err)
	}
	err := NotFound("server", "X", nil)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "none exists yet") {
		t.Errorf("notFound with no candidates: %v", err)
	}
	many := []string{"J", "I", "H", "G", "F", "E", "D", "C", "B", "A"}
	if err := NotFound("thing", "ZZZZZZZZ", many); !strings.Contains(err.Error(), "(there are: A, B, C, D, E, F, G, H, …)") {
		t.Errorf("notFound lists candidates: %v", err)
	}
}

func TestMasks(t *testing.T) {
	for bits := 1; bits <= 30; bits++ {
		got, err := ParseMask(MaskString(bits))
		if err != nil || got != bits {
			t.Errorf("ParseMask(MaskString(%d)) = %d, %v", bits, got, err)
		}
	}
}
