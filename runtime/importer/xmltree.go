package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A small XML reader for CIBs. encoding/xml decodes through reflection
// and allocates for every token; on the 30 MB CIB of a 64-node, 32,000-
// resource cluster it alone took longer than the whole import may. This
// reader does one pass over the text and keeps attribute values as
// substrings of it. It reads elements and attributes (with the five named
// entities and character references), skips text, comments, processing
// instructions, CDATA and a DOCTYPE, and refuses what is not well formed.

type xnode struct {
	name     string
	attrs    []xattr
	children []*xnode
}

type xattr struct{ name, value string }

// attr returns an attribute's value, or "".
func (n *xnode) attr(name string) string {
	for _, a := range n.attrs {
		if a.name == name {
			return a.value
		}
	}
	return ""
}

// child returns the first child element of that name, or nil.
func (n *xnode) child(name string) *xnode {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// each calls f for each child element of that name.
func (n *xnode) each(name string, f func(*xnode)) {
	if n == nil {
		return
	}
	for _, c := range n.children {
		if c.name == name {
			f(c)
		}
	}
}

// An xmlError is a place in the text and what is wrong there; eof marks
// a document that stops too early.
type xmlError struct {
	line int
	msg  string
	eof  bool
}

func (e *xmlError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type xmlParser struct {
	s   string
	pos int
	// attrs gathers a start tag's attributes; the element gets a copy of
	// its own length, one allocation instead of one per doubling.
	attrs []xattr
}

func (p *xmlParser) fail(format string, a ...any) error {
	return &xmlError{line: strings.Count(p.s[:min(p.pos, len(p.s))], "\n") + 1, msg: fmt.Sprintf(format, a...)}
}

func (p *xmlParser) eof() error {
	return &xmlError{line: strings.Count(p.s, "\n") + 1, msg: "the document ends inside an element", eof: true}
}

// skipTo moves past the next occurrence of end.
func (p *xmlParser) skipTo(end string) error {
	i := strings.Index(p.s[p.pos:], end)
	if i < 0 {
		p.pos = len(p.s)
		return p.eof()
	}
	p.pos += i + len(end)
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80
}

func (p *xmlParser) name() string {
	start := p.pos
	for p.pos < len(p.s) && isNameByte(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

func (p *xmlParser) spaces() {
	for p.pos < len(p.s) && isSpace(p.s[p.pos]) {
		p.pos++
	}
}

// parseXML reads a document into its root element.
func parseXML(doc string) (*xnode, error) {
	p := &xmlParser{s: doc}
	var stack []*xnode
	var root *xnode
	for {
		i := strings.IndexByte(p.s[p.pos:], '<')
		if i < 0 {
			if len(stack) > 0 {
				p.pos = len(p.s)
				return nil, p.eof()
			}
			if strings.TrimSpace(p.s[p.pos:]) != "" {
				return nil, p.fail("text after the document's element")
			}
			break
		}
		if len(stack) == 0 && strings.TrimSpace(p.s[p.pos:p.pos+i]) != "" {
			return nil, p.fail("text outside the document's element")
		}
		p.pos += i + 1
		rest := p.s[p.pos:]
		switch {
		case strings.HasPrefix(rest, "!--"):
			if err := p.skipTo("-->"); err != nil {
				return nil, err
			}
		case strings.HasPrefix(rest, "?"):
			if err := p.skipTo("?>"); err != nil {
				return nil, err
			}
		case strings.HasPrefix(rest, "![CDATA["):
			if err := p.skipTo("]]>"); err != nil {
				return nil, err
			}
		case strings.HasPrefix(rest, "!"):
			if err := p.skipTo(">"); err != nil {
				return nil, err
			}
		case strings.HasPrefix(rest, "/"):
			p.pos++
			name := p.name()
			p.spaces()
			if p.pos >= len(p.s) {
				return nil, p.eof()
			}
			if p.s[p.pos] != '>' {
				return nil, p.fail("end tag </%s> is not closed with >", name)
			}
			p.pos++
			if len(stack) == 0 || stack[len(stack)-1].name != name {
				open := "none"
				if len(stack) > 0 {
					open = "<" + stack[len(stack)-1].name + ">"
				}
				return nil, p.fail("end tag </%s> does not match the open element (%s)", name, open)
			}
			stack = stack[:len(stack)-1]
		default:
			n, closed, err := p.startTag()
			if err != nil {
				return nil, err
			}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			} else if root != nil {
				return nil, p.fail("a second top-level element <%s>", n.name)
			} else {
				root = n
			}
			if !closed {
				stack = append(stack, n)
			}
		}
	}
	if root == nil {
		return nil, p.fail("no element")
	}
	return root, nil
}

// startTag reads "<name attr="v" ...>" or ".../>" after the "<".
func (p *xmlParser) startTag() (*xnode, bool, error) {
	n := &xnode{name: p.name()}
	if n.name == "" {
		return nil, false, p.fail("'<' is not followed by an element name")
	}
	p.attrs = p.attrs[:0]
	for {
		p.spaces()
		if p.pos >= len(p.s) {
			return nil, false, p.eof()
		}
		switch p.s[p.pos] {
		case '>':
			p.pos++
			n.attrs = slices.Clone(p.attrs)
			return n, false, nil
		case '/':
			if p.pos+1 >= len(p.s) {
				return nil, false, p.eof()
			}
			if p.s[p.pos+1] != '>' {
				return nil, false, p.fail("'/' in <%s> is not followed by '>'", n.name)
			}
			p.pos += 2
			n.attrs = slices.Clone(p.attrs)
			return n, true, nil
		}
		an := p.name()
		if an == "" {
			return nil, false, p.fail("unexpected %q in <%s>", p.s[p.pos], n.name)
		}
		p.spaces()
		if p.pos >= len(p.s) {
			return nil, false, p.eof()
		}
		if p.s[p.pos] != '=' {
			return nil, false, p.fail("attribute %s of <%s> has no value", an, n.name)
		}
		p.pos++
		p.spaces()
		if p.pos >= len(p.s) {
			return nil, false, p.eof()
		}
		q := p.s[p.pos]
		if q != '"' && q != '\'' {
			return nil, false, p.fail("the value of attribute %s of <%s> is not quoted", an, n.name)
		}
		end := strings.IndexByte(p.s[p.pos+1:], q)
		if end < 0 {
			p.pos = len(p.s)
			return nil, false, p.eof()
		}
		v := p.s[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		if strings.IndexByte(v, '<') >= 0 {
			return nil, false, p.fail("the value of attribute %s of <%s> contains '<'", an, n.name)
		}
		if strings.IndexByte(v, '&') >= 0 {
			var err error
			if v, err = unescape(v); err != nil {
				return nil, false, p.fail("attribute %s of <%s>: %v", an, n.name, err)
			}
		}
		p.attrs = append(p.attrs, xattr{an, v})
	}
}

// unescape replaces entity and character references.
func unescape(v string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(v, '&')
		if i < 0 {
			b.WriteString(v)
			return b.String(), nil
		}
		b.WriteString(v[:i])
		j := strings.IndexByte(v[i:], ';')
		if j < 0 {
			return "", fmt.Errorf("'&' starts no entity reference")
		}
		ref := v[i+1 : i+j]
		switch ref {
		case "amp":
			b.WriteByte('&')
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ref, "#x"):
				n, err = strconv.ParseUint(ref[2:], 16, 32)
			case strings.HasPrefix(ref, "#"):
				n, err = strconv.ParseUint(ref[1:], 10, 32)
			default:
				return "", fmt.Errorf("unknown entity &%s;", ref)
			}
			if err != nil || n == 0 || n > 0x10FFFF {
				return "", fmt.Errorf("bad character reference &%s;", ref)
			}
			b.WriteRune(rune(n))
		}
		v = v[i+j+1:]
	}
}
