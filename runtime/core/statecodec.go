package core

import (
	"slices"
	"strconv"
	"strings"
)

// The schemas of the core's objects in a state file, and the event log,
// which version 2 stores compactly.

var domainSchema = NewSchema("a domain",
	StringField("name", func(x *Domain) *string { return &x.Name }),
	StringField("netbios", func(x *Domain) *string { return &x.NetBIOS }),
	ListField("users", userSchema, func(x *Domain) *[]*User { return &x.Users }),
)

var userSchema = NewSchema("a user",
	StringField("domain", func(x *User) *string { return &x.Domain }),
	StringField("name", func(x *User) *string { return &x.Name }),
	StringField("password", func(x *User) *string { return &x.Password }).OmitEmpty(),
	StringsField("groups", func(x *User) *[]string { return &x.Groups }),
)

var serverSchema = NewSchema("a server",
	StringField("name", func(x *Server) *string { return &x.Name }),
	StringField("edition", func(x *Server) *string { return &x.Edition }),
	StringField("version", func(x *Server) *string { return &x.Version }),
	StringField("domain", func(x *Server) *string { return &x.Domain }).OmitEmpty(),
	ListField("adapters", adapterSchema, func(x *Server) *[]*Adapter { return &x.Adapters }),
	StringsField("components", func(x *Server) *[]string { return &x.Components }).OmitEmpty(),
	StringField("exchange", func(x *Server) *string { return &x.Exchange }).OmitEmpty(),
	StringField("exchange_drive", func(x *Server) *string { return &x.ExchangeDrive }).OmitEmpty(),
	BoolField("running", func(x *Server) *bool { return &x.Running }),
	BoolField("no_system_disk", func(x *Server) *bool { return &x.NoSystemDisk }).OmitEmpty(),
	StringField("cluster", func(x *Server) *string { return &x.Cluster }).OmitEmpty(),
)

var adapterSchema = NewSchema("an adapter",
	StringField("name", func(x *Adapter) *string { return &x.Name }),
	StringField("ip", func(x *Adapter) *string { return &x.IP }).OmitEmpty(),
	StringField("mask", func(x *Adapter) *string { return &x.Mask }).OmitEmpty(),
	StringField("gateway", func(x *Adapter) *string { return &x.Gateway }).OmitEmpty(),
	StringsField("extra_ips", func(x *Adapter) *[]string { return &x.ExtraIPs }).OmitEmpty(),
	StringField("role", func(x *Adapter) *string { return &x.Role }).OmitEmpty(),
	BoolField("failed", func(x *Adapter) *bool { return &x.Failed }).OmitEmpty(),
)

var diskSchema = NewSchema("a disk",
	StringField("label", func(x *Disk) *string { return &x.Label }),
	FloatField("size_gb", func(x *Disk) *float64 { return &x.SizeGB }),
	StringsField("servers", func(x *Disk) *[]string { return &x.Servers }),
	StringField("kind", func(x *Disk) *string { return &x.Kind }),
	StringField("fs", func(x *Disk) *string { return &x.FS }),
	StringField("letter", func(x *Disk) *string { return &x.Letter }).OmitEmpty(),
	StringField("signature", func(x *Disk) *string { return &x.Signature }),
	BoolField("failed", func(x *Disk) *bool { return &x.Failed }).OmitEmpty(),
)

var asrSetSchema = NewSchema("an ASR set",
	StringField("id", func(x *AsrSet) *string { return &x.ID }),
	StringField("server", func(x *AsrSet) *string { return &x.Server }),
	StringField("destination", func(x *AsrSet) *string { return &x.Destination }),
	IntField("taken", func(x *AsrSet) *int64 { return &x.Taken }),
	StringField("edition", func(x *AsrSet) *string { return &x.Edition }),
	StringField("version", func(x *AsrSet) *string { return &x.Version }),
	StringField("domain", func(x *AsrSet) *string { return &x.Domain }).OmitEmpty(),
	ValuesField("adapters", adapterSchema, func(x *AsrSet) *[]Adapter { return &x.Adapters }),
	StringsField("components", func(x *AsrSet) *[]string { return &x.Components }).OmitEmpty(),
	StringField("exchange", func(x *AsrSet) *string { return &x.Exchange }).OmitEmpty(),
	StringField("exchange_drive", func(x *AsrSet) *string { return &x.ExchangeDrive }).OmitEmpty(),
	StringField("cluster", func(x *AsrSet) *string { return &x.Cluster }).OmitEmpty(),
	StringsField("disks", func(x *AsrSet) *[]string { return &x.Disks }).OmitEmpty(),
)

var timersSchema = NewSchema("the timers",
	ValuesField("pending", timerSchema, func(x *TimersDoc) *[]Timer { return &x.Pending }),
	UintField("next_seq", func(x *TimersDoc) *uint64 { return &x.NextSeq }),
)

var timerSchema = NewSchema("a pending timer",
	IntField("at", func(x *Timer) *int64 { return &x.At }),
	UintField("seq", func(x *Timer) *uint64 { return &x.Seq }),
	StringField("kind", func(x *Timer) *string { return &x.Kind }),
	StringField("subject", func(x *Timer) *string { return &x.Subject }),
	StringField("arg", func(x *Timer) *string { return &x.Arg }).OmitEmpty(),
	IntField("n", func(x *Timer) *int64 { return &x.N }).OmitEmpty(),
)

// The event log. Version 2 writes each event as an array
//
//	[at, kind, text, subject, state]
//
// leaving out a trailing empty state, then a trailing empty subject. Its
// sequence number is its position in the log (the first is 1). An event
// with a decision has a sixth member, and then a subject and state even
// when they are empty:
//
//	[at, kind, text, subject, state, {"from", "to", "reason", "skipped"}]
//
// Version 1 wrote objects {"seq", "at", "kind", "subject", "state", "text"}.

var decisionSchema = NewSchema("a decision",
	StringField("from", func(x *Decision) *string { return &x.From }).OmitEmpty(),
	StringField("to", func(x *Decision) *string { return &x.To }).OmitEmpty(),
	StringField("reason", func(x *Decision) *string { return &x.Reason }).OmitEmpty(),
	ValuesField("skipped", skipSchema, func(x *Decision) *[]Skip { return &x.Skipped }).OmitEmpty(),
)

var skipSchema = NewSchema("a skipped node",
	StringField("node", func(x *Skip) *string { return &x.Node }),
	StringField("why", func(x *Skip) *string { return &x.Why }),
)

func encodeEvents(e *StateEncoder, events []Event) {
	e.BeginArray()
	for i := range events {
		ev := &events[i]
		if ev.Decision == nil {
			// Most events: written in one go, as the general path below
			// would write them.
			e.sep()
			b := append(e.buf, '[')
			b = strconv.AppendInt(b, ev.At, 10)
			b = append(b, ',')
			b = appendQuoted(b, ev.Kind)
			b = append(b, ',')
			b = appendQuoted(b, ev.Text)
			if ev.Subject != "" || ev.State != "" {
				b = append(b, ',')
				b = appendQuoted(b, ev.Subject)
			}
			if ev.State != "" {
				b = append(b, ',')
				b = appendQuoted(b, ev.State)
			}
			e.buf = append(b, ']')
			e.spill()
			continue
		}
		e.BeginArray()
		e.Int(ev.At)
		e.String(ev.Kind)
		e.String(ev.Text)
		if ev.Subject != "" || ev.State != "" || ev.Decision != nil {
			e.String(ev.Subject)
		}
		if ev.State != "" || ev.Decision != nil {
			e.String(ev.State)
		}
		if ev.Decision != nil {
			decisionSchema.Encode(e, ev.Decision)
		}
		e.EndArray()
	}
	e.EndArray()
}

func decodeEvents(d *StateDecoder) []Event {
	if !d.Array() {
		return nil
	}
	var events []Event
	if d.version >= 2 {
		// A long log is the bulk of a file; growing the slice as it is
		// read would allocate it several times over. Save writes "],["
		// between events and, in the rest of the document, nowhere but
		// inside strings, so counting them bounds the log from above (a
		// hand-edited file may be off, which only costs growth). An
		// eighth more leaves room for what the next run logs.
		rest := d.doc[d.pos:]
		n := min(strings.Count(rest, "],["), len(rest)/12) + 1 // an event takes 12 bytes at least
		events = make([]Event, 0, n+n/8)
	}
	for d.More() {
		if len(events) == cap(events) {
			// Doubling copies less than append's growth for long logs.
			events = slices.Grow(events, max(len(events), 1024))
		}
		events = append(events, Event{Seq: len(events) + 1})
		ev := &events[len(events)-1] // read in place: a local would escape
		switch {
		case d.version == 1:
			decodeEventV1(d, ev)
		case !d.plainEvent(ev):
			decodeEvent(d, ev)
		}
	}
	return events
}

func decodeEvent(d *StateDecoder, ev *Event) {
	if d.NullElement("an event") || !d.Array() {
		return
	}
	if d.Next("the time of an event") {
		ev.At = d.Int64()
	}
	if d.Next("the kind of an event") {
		ev.Kind = d.String()
	}
	if d.Next("the text of an event") {
		ev.Text = d.String()
	}
	if d.More() {
		ev.Subject = d.String()
		if d.More() {
			ev.State = d.String()
			if d.More() {
				decodeDecision(d, ev)
			}
		}
	}
}

// plainEvent reads an event written as Save writes all but those with a
// decision: a time of at most 18 digits and three or four strings, with
// nothing between them. It reports whether the event was such, having
// read nothing when it was not: decodeEvent then reads it, with the
// errors.
func (d *StateDecoder) plainEvent(ev *Event) bool {
	s, start := d.doc, d.pos
	if d.err != nil || start >= len(s) || s[start] != '[' {
		return false
	}
	i := start + 1
	j, at := i, int64(0)
	for j < len(s) && j-i < 18 && '0' <= s[j] && s[j] <= '9' {
		at = at*10 + int64(s[j]-'0')
		j++
	}
	if j == i || (s[i] == '0' && j-i > 1) || j >= len(s) || s[j] != ',' {
		return false
	}
	var text [4]string
	n := 0
	for d.pos = j + 1; ; d.pos++ {
		if n == len(text) || d.pos >= len(s) || s[d.pos] != '"' {
			break
		}
		text[n] = d.quoted()
		if d.err != nil || d.pos >= len(s) {
			break
		}
		n++
		if s[d.pos] == ']' {
			if n < 2 {
				break
			}
			ev.At, ev.Kind, ev.Text, ev.Subject, ev.State = at, text[0], text[1], text[2], text[3]
			d.pos++
			return true
		}
		if s[d.pos] != ',' {
			break
		}
	}
	d.pos, d.err = start, nil // read it again, for the error
	return false
}

// decodeDecision reads an event's sixth member, its decision.
func decodeDecision(d *StateDecoder, ev *Event) {
	if d.NullElement("a decision") {
		return
	}
	ev.Decision = new(Decision)
	decisionSchema.Decode(d, ev.Decision)
	if d.More() {
		d.Fail("an event has six fields at most: time, kind, text, subject, state, decision")
	}
}

// eventV1Schema reads version 1's events; the sequence number is checked
// against the position.
var eventV1Schema = NewSchema("an event",
	IntField("seq", func(x *Event) *int { return &x.Seq }),
	IntField("at", func(x *Event) *int64 { return &x.At }),
	StringField("kind", func(x *Event) *string { return &x.Kind }),
	StringField("subject", func(x *Event) *string { return &x.Subject }),
	StringField("state", func(x *Event) *string { return &x.State }),
	StringField("text", func(x *Event) *string { return &x.Text }),
)

func decodeEventV1(d *StateDecoder, ev *Event) {
	if d.NullElement("an event") {
		return
	}
	d.skipSpace()
	at, seq := d.pos, ev.Seq
	eventV1Schema.Decode(d, ev)
	if ev.Seq != seq {
		d.failAt(at, "event %d is numbered %d; the log numbers its events 1, 2, 3… in order", seq, ev.Seq)
	}
}
