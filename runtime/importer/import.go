package importer

import (
	"bytes"
	"fmt"
	"strings"

	"clusterscript/runtime/sim"
)

// Detect guesses an input's format from its first character: a JSON
// object is a PowerShell snapshot, an XML document a CIB.
func Detect(data []byte, source string) (string, error) {
	text, err := utf8Text(data, source)
	if err != nil {
		return "", err
	}
	text = bytes.TrimLeft(text, " \t\r\n")
	switch {
	case len(text) == 0:
		return "", inputErr("%s is empty; give a snapshot written by Export-ClusterSnapshot.ps1 or a CIB from cibadmin -Q", source)
	case text[0] == '{':
		return "powershell", nil
	case text[0] == '<':
		return "cib", nil
	}
	return "", inputErr("%s is neither a JSON snapshot nor an XML CIB (it starts with %q); give --format if it is one of them", source, firstLine(text))
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}

// Read reads an input of the given format ("" to guess it).
func Read(data []byte, format, source string) (*Snapshot, error) {
	if format == "" {
		f, err := Detect(data, source)
		if err != nil {
			return nil, err
		}
		format = f
	}
	if format == "cib" {
		return ReadCIB(data, source)
	}
	return ReadPowerShell(data, source)
}

// Import reads an input and builds it in w. On an error w may be half
// built and must be discarded.
func Import(w *sim.World, data []byte, format, source string) (*Snapshot, error) {
	s, err := Read(data, format, source)
	if err != nil {
		return nil, err
	}
	return s, Apply(w, s)
}

// Summary names what a snapshot holds: "cluster FS (2 nodes, 3 groups, 9
// resources) and NLB cluster web.example.com (3 hosts)".
func Summary(s *Snapshot) string {
	var parts []string
	for _, c := range s.Clusters {
		res := 0
		for _, g := range c.Groups {
			res += len(g.Resources)
		}
		parts = append(parts, fmt.Sprintf("cluster %s (%d nodes, %d groups, %d resources)", c.Name, len(c.Nodes), len(c.Groups), res))
	}
	for _, n := range s.NLBs {
		parts = append(parts, fmt.Sprintf("NLB cluster %s (%d hosts)", n.Name, len(n.Hosts)))
	}
	return strings.Join(parts, " and ")
}
