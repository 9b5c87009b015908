package core

import (
	"slices"
	"strings"
)

// The schemas of the core's objects in a state file, and the event log,
// which version 2 stores compactly.

var domainSchema = Object("a domain",
	String("name", func(x *Domain) *string { return &x.Name }),
	String("netbios", func(x *Domain) *string { return &x.NetBIOS }),
	List("users", userSchema, func(x *Domain) *[]*User { return &x.Users }),
)

var userSchema = Object("a user",
	String("domain", func(x *User) *string { return &x.Domain }),
	String("name", func(x *User) *string { return &x.Name }),
	String("password", func(x *User) *string { return &x.Password }).OmitEmpty(),
	Strings("groups", func(x *User) *[]string { return &x.Groups }),
)

var serverSchema = Object("a server",
	String("name", func(x *Server) *string { return &x.Name }),
	String("edition", func(x *Server) *string { return &x.Edition }),
	String("version", func(x *Server) *string { return &x.Version }),
	String("domain", func(x *Server) *string { return &x.Domain }).OmitEmpty(),
	List("adapters", adapterSchema, func(x *Server) *[]*Adapter { return &x.Adapters }),
	Strings("components", func(x *Server) *[]string { return &x.Components }).OmitEmpty(),
	String("exchange", func(x *Server) *string { return &x.Exchange }).OmitEmpty(),
	String("exchange_drive", func(x *Server) *string { return &x.ExchangeDrive }).OmitEmpty(),
	Bool("running", func(x *Server) *bool { return &x.Running }),
	Bool("no_system_disk", func(x *Server) *bool { return &x.NoSystemDisk }).OmitEmpty(),
	String("cluster", func(x *Server) *string { return &x.Cluster }).OmitEmpty(),
)

var adapterSchema = Object("an adapter",
	String("name", func(x *Adapter) *string { return &x.Name }),
	String("ip", func(x *Adapter) *string { return &x.IP }).OmitEmpty(),
	String("mask", func(x *Adapter) *string { return &x.Mask }).OmitEmpty(),
	String("gateway", func(x *Adapter) *string { return &x.Gateway }).OmitEmpty(),
	Strings("extra_ips", func(x *Adapter) *[]string { return &x.ExtraIPs }).OmitEmpty(),
	String("role", func(x *Adapter) *string { return &x.Role }).OmitEmpty(),
	Bool("failed", func(x *Adapter) *bool { return &x.Failed }).OmitEmpty(),
)

var diskSchema = Object("a disk",
	String("label", func(x *Disk) *string { return &x.Label }),
	Float("size_gb", func(x *Disk) *float64 { return &x.SizeGB }),
	Strings("servers", func(x *Disk) *[]string { return &x.Servers }),
	String("kind", func(x *Disk) *string { return &x.Kind }),
	String("fs", func(x *Disk) *string { return &x.FS }),
	String("letter", func(x *Disk) *string { return &x.Letter }).OmitEmpty(),
	String("signature", func(x *Disk) *string { return &x.Signature }),
	Bool("failed", func(x *Disk) *bool { return &x.Failed }).OmitEmpty(),
)

var asrSetSchema = Object("an ASR set",
	String("id", func(x *AsrSet) *string { return &x.ID }),
	String("server", func(x *AsrSet) *string { return &x.Server }),
	String("destination", func(x *AsrSet) *string { return &x.Destination }),
	Int("taken", func(x *AsrSet) *int64 { return &x.Taken }),
	String("edition", func(x *AsrSet) *string { return &x.Edition }),
	String("version", func(x *AsrSet) *string { return &x.Version }),
	String("domain", func(x *AsrSet) *string { return &x.Domain }).OmitEmpty(),
	Values("adapters", adapterSchema, func(x *AsrSet) *[]Adapter { return &x.Adapters }),
	Strings("components", func(x *AsrSet) *[]string { return &x.Components }).OmitEmpty(),
	String("exchange", func(x *AsrSet) *string { return &x.Exchange }).OmitEmpty(),
	String("exchange_drive", func(x *AsrSet) *string { return &x.ExchangeDrive }).OmitEmpty(),
	String("cluster", func(x *AsrSet) *string { return &x.Cluster }).OmitEmpty(),
	Strings("disks", func(x *AsrSet) *[]string { return &x.Disks }).OmitEmpty(),
)

var timersSchema = Object("the timers",
	Values("pending", timerSchema, func(x *TimersDoc) *[]Timer { return &x.Pending }),
	Uint("next_seq", func(x *TimersDoc) *uint64 { return &x.NextSeq }),
)

var timerSchema = Object("a pending timer",
	Int("at", func(x *Timer) *int64 { return &x.At }),
	Uint("seq", func(x *Timer) *uint64 { return &x.Seq }),
	String("kind", func(x *Timer) *string { return &x.Kind }),
	String("subject", func(x *Timer) *string { return &x.Subject }),
	String("arg", func(x *Timer) *string { return &x.Arg }).OmitEmpty(),
	Int("n", func(x *Timer) *int64 { return &x.N }).OmitEmpty(),
)

// The event log. Version 2 writes each event as an array
//
//	[at, kind, text, subject, state]
//
// leaving out a trailing empty state, then a trailing empty subject. Its
// sequence number is its position in the log (the first is 1). Version 1
// wrote objects {"seq", "at", "kind", "subject", "state", "text"}.

func encodeEvents(e *StateEncoder, events []Event) {
	e.BeginArray()
	for i := range events {
		ev := &events[i]
		e.BeginArray()
		e.Int(ev.At)
		e.String(ev.Kind)
		e.String(ev.Text)
		if ev.Subject != "" || ev.State != "" {
			e.String(ev.Subject)
		}
		if ev.State != "" {
			e.String(ev.State)
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
		// between events and nowhere else in the rest of the document
		// but in texts, so counting them bounds the log from above (a
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
		if d.version == 1 {
			decodeEventV1(d, ev)
		} else {
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
				d.Fail("an event has five fields at most: time, kind, text, subject, state")
			}
		}
	}
}

// eventV1Schema reads version 1's events; the sequence number is checked
// against the position.
var eventV1Schema = Object("an event",
	Int("seq", func(x *Event) *int { return &x.Seq }),
	Int("at", func(x *Event) *int64 { return &x.At }),
	String("kind", func(x *Event) *string { return &x.Kind }),
	String("subject", func(x *Event) *string { return &x.Subject }),
	String("state", func(x *Event) *string { return &x.State }),
	String("text", func(x *Event) *string { return &x.Text }),
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
