package runtime

import "testing"

// An adapter an engine relies on cannot be readdressed from under it.
func TestAdapterGuards(t *testing.T) {
	w, _ := farm(t, 2)
	refused(t, w, ErrState, "dedicated address 10.0.0.21", func() error {
		return w.ConfigureTCPIP("WEB1", "Public", "10.0.0.41", tMask, "", []string{tVIP}, "")
	})
	refused(t, w, ErrState, "keep cluster address 10.0.0.100", func() error {
		return w.ConfigureTCPIP("WEB1", "Public", webIP(1), tMask, "", nil, "")
	})
	mustDo(t, w.ConfigureTCPIP("WEB1", "Public", webIP(1), tMask, "10.0.0.1", []string{tVIP}, ""))

	wc, _ := smallCluster(t, 2, "")
	refused(t, wc, ErrState, "cluster network Public", func() error {
		return wc.ConfigureTCPIP("NODE2", "Public", "10.9.0.12", "255.255.255.0", "", nil, "")
	})
	mustDo(t, wc.ConfigureTCPIP("NODE2", "Public", "10.0.0.42", "255.255.255.0", "", nil, ""))
}
