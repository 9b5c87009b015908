package export

import "testing"

func TestQuoting(t *testing.T) {
	for _, c := range []struct{ in, ps, sh string }{
		{"NODE1", "NODE1", "NODE1"},
		{"EVS1 Group", "'EVS1 Group'", "'EVS1 Group'"},
		{"O'Brien's", "'O''Brien''s'", `'O'\''Brien'\''s'`},
		{"-Force", "'-Force'", "-Force"},
		{"", "''", "''"},
	} {
		if got := psQuote(c.in); got != c.ps {
			t.Errorf("psQuote(%q) = %s, want %s", c.in, got, c.ps)
		}
		if got := shQuote(c.in); got != c.sh {
			t.Errorf("shQuote(%q) = %s, want %s", c.in, got, c.sh)
		}
	}
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"NODE1", "NODE1", true},
		{"EVS1 Group", `"EVS1 Group"`, true},
		{"100%", "100%%", true},
		{"R&D", `"R&D"`, true},
		{"10.0.0.1,255.255.255.0,Public", "10.0.0.1,255.255.255.0,Public", true},
		{`say "hi"`, "", false},
	} {
		got, ok := cmdQuote(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("cmdQuote(%q) = %s, %v; want %s, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestPacemakerIDs(t *testing.T) {
	for in, want := range map[string]string{
		"EVS1 Group": "EVS1-Group",
		"Disk Q:":    "Disk-Q",
		"Exchange Information Store Instance (EVS1)": "Exchange-Information-Store-Instance-EVS1",
		"1st group": "r1st-group",
		"::":        "r",
	} {
		if got := pcmID(in); got != want {
			t.Errorf("pcmID(%q) = %q, want %q", in, got, want)
		}
	}
	if got := maskBits("255.255.254.0"); got != "23" {
		t.Errorf("maskBits = %s, want 23", got)
	}
}

// Names with spaces become the device and unit names udev and systemd
// give them, not paths no tool finds.
func TestUdevAndUnitEscapes(t *testing.T) {
	for in, want := range map[string]string{"Cluster Disk 1": `Cluster\x20Disk\x201`, "Data1": "Data1", "a/b:c#d": `a\x2fb:c#d`, "Données": "Données"} {
		if got := udevEscape(in); got != want {
			t.Errorf("udevEscape(%q) = %q; want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"File Server": `File\x20Server`, "W3SVC": "W3SVC", "MSSQL$PROD": `MSSQL\x24PROD`, ".hidden": `\x2ehidden`, "a-b_c.d:e": "a-b_c.d:e"} {
		if got := unitEscape(in); got != want {
			t.Errorf("unitEscape(%q) = %q; want %q", in, got, want)
		}
	}
}
