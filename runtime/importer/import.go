package importer

import (
	"bytes"

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
