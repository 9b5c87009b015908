package golden

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
)

// A runbook that installs Exchange before MSDTC is online must fail at the
// step where Setup runs, with the engine's rule, and change nothing there;
// the same runbook in the documented order succeeds.
func TestExchangeBeforeMSDTCFailsAtTheStep(t *testing.T) {
	const path = "testdata/prereq/exchange_before_msdtc.star"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The position of the install_exchange call inside the loop of step 6.
	line, col := 0, 0
	for i, l := range strings.Split(string(src), "\n") {
		if c := strings.Index(l, "install_exchange(n"); c >= 0 {
			line, col = i+1, c+len("install_exchange")+1
		}
	}
	if line == 0 {
		t.Fatal("no install_exchange call in the test runbook")
	}

	for _, tc := range []struct {
		msdtc string
		rule  string // the engine's refusal; "" when the run must succeed
	}{
		{"none", "install_exchange: cluster EXCLUSTER has no Distributed Transaction Coordinator resource; create MSDTC in the Cluster Group and bring it online before installing Exchange"},
		{"offline", `install_exchange: the Distributed Transaction Coordinator "MSDTC" of cluster EXCLUSTER is Offline; bring it online before installing Exchange`},
		{"online", ""},
	} {
		t.Run("msdtc="+tc.msdtc, func(t *testing.T) {
			var out bytes.Buffer
			s, err := lang.RunFile(builtins.Plugin, path, lang.RunOptions{Out: &out, Sets: []string{"msdtc=" + tc.msdtc}})
			if s == nil {
				t.Fatalf("the runbook did not start: %v", err)
			}
			transcript := out.String()
			exchange := 0
			for _, srv := range builtins.SimOf(s).Servers {
				if srv.Exchange != "" {
					exchange++
				}
			}
			if tc.rule == "" {
				if err != nil {
					t.Fatalf("in the documented order the runbook must succeed; it failed:\n%s", lang.FormatError(err, s.Progress()))
				}
				if exchange != 4 || !strings.HasSuffix(transcript, "note      Exchange is on every node\n") {
					t.Errorf("Exchange on %d of 4 nodes; transcript ends:\n%s", exchange, tail(transcript, 3))
				}
				return
			}
			if err == nil {
				t.Fatalf("installing Exchange with MSDTC %s succeeded; the engine must refuse it", tc.msdtc)
			}
			if code := lang.ExitCode(err); code != lang.ExitFailed {
				t.Errorf("exit code %d, want %d (the runbook failed)", code, lang.ExitFailed)
			}
			msg := lang.FormatError(err, s.Progress())
			for _, want := range []string{
				fmt.Sprintf("%s:%d:%d: %s\n", path, line, col, tc.rule),
				`  in procedure "How to install a cluster-aware Exchange 2003 version", step 6: Let Setup finish as on any server; repeat on each node` + "\n",
				"Traceback (most recent call last):\n",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("the rendered error lacks %q:\n%s", want, msg)
				}
			}
			// The refused call changed nothing: no node has Exchange, and
			// the transcript stops at step 6 without an exchange event.
			if exchange != 0 {
				t.Errorf("%d servers got Exchange although Setup was refused", exchange)
			}
			if !strings.HasSuffix(transcript, "step      6. Let Setup finish as on any server; repeat on each node\n") {
				t.Errorf("the transcript must end at step 6; it ends:\n%s", tail(transcript, 3))
			}
			if strings.Contains(transcript, " exchange  ") {
				t.Error("the transcript records an Exchange installation")
			}
		})
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
