package core

// A Schema says how objects of one Go type are written to a state file and
// read back: an ordered list of members, each naming where its value lives
// in the struct. One declaration serves both directions, so the writer and
// the reader cannot drift apart; the member names are those of the type's
// struct tags (a test in runtime/sim compares with encoding/json).
//
//	var nodeSchema = core.NewSchema("a node",
//		core.StringField("name", func(n *Node) *string { return &n.Name }),
//		core.BoolField("paused", func(n *Node) *bool { return &n.Paused }).OmitEmpty(),
//	)
type Schema[T any] struct {
	what   string // one object, for errors: "a node"
	fields []Field[T]

	// The element functions of lists of T, bound once rather than at
	// every list.
	encodeElem func(*StateEncoder, **T)
	decodeElem func(*StateDecoder, **T)
}

// A Field is one member of an object.
type Field[T any] struct {
	name   string
	quoted string          // name as JSON, with its colon: "name":
	omit   bool            // left out when empty, as with ",omitempty"
	empty  func(x *T) bool // whether the value is empty
	encode func(*StateEncoder, *T)
	decode func(*StateDecoder, *T)

	// Where a string or a true-or-false member lives, for Encode and
	// Decode to reach it without the calls above: most members are such.
	str  func(x *T) *string
	flag func(x *T) *bool
}

// OmitEmpty leaves the member out of the file when its value is empty (""
// or 0 or false or no elements), as encoding/json's ",omitempty" does.
func (f Field[T]) OmitEmpty() Field[T] {
	f.omit = true
	return f
}

// NewSchema makes a schema of the members in the order they are written;
// what names one object ("a node").
func NewSchema[T any](what string, fields ...Field[T]) *Schema[T] {
	for i := range fields {
		fields[i].quoted = string(appendQuoted(nil, fields[i].name)) + ":"
	}
	s := &Schema[T]{what: what, fields: fields}
	s.encodeElem, s.decodeElem = s.encodeAt, s.decodeNew
	return s
}

// Encode writes x as an object.
func (s *Schema[T]) Encode(e *StateEncoder, x *T) {
	e.BeginObject()
	for i := range s.fields {
		f := &s.fields[i]
		switch {
		case f.str != nil:
			if v := *f.str(x); v != "" || !f.omit {
				e.quotedKey(f.quoted)
				e.String(v)
			}
		case f.flag != nil:
			if v := *f.flag(x); v || !f.omit {
				e.quotedKey(f.quoted)
				e.Bool(v)
			}
		case !f.omit || !f.empty(x):
			e.quotedKey(f.quoted)
			f.encode(e, x)
		}
	}
	e.EndObject()
}

// Decode reads an object into x. Members may come in any order (they
// usually come in the schema's, which is tried first); a member the schema
// lacks is handled by StateDecoder.Unknown.
func (s *Schema[T]) Decode(d *StateDecoder, x *T) {
	if !d.Object() {
		return
	}
	next := 0
	for d.More() {
		// Save writes the members in the schema's order, leaving out the
		// empty ones: the member is the next one or one a little further.
		i := next
		for i < len(s.fields) && !d.member(s.fields[i].quoted, s.fields[i].name) {
			i++
		}
		if i == len(s.fields) {
			i = s.find(d.Key())
		}
		if i < 0 {
			d.Unknown()
			continue
		}
		switch f := &s.fields[i]; {
		case f.str != nil:
			*f.str(x) = d.String()
		case f.flag != nil:
			*f.flag(x) = d.Bool()
		default:
			f.decode(d, x)
		}
		next = i + 1
	}
}

func (s *Schema[T]) find(key string) int {
	for i := range s.fields {
		if s.fields[i].name == key {
			return i
		}
	}
	return -1
}

// EncodeList writes a list of objects; nil is null, as encoding/json has it.
func (s *Schema[T]) EncodeList(e *StateEncoder, list []*T) { encodeList(e, list, s.encodeElem) }

// DecodeList reads a list of objects: null is nil, [] an empty list, and a
// null element an error naming what it should have been.
func (s *Schema[T]) DecodeList(d *StateDecoder) []*T { return decodeList(d, s.decodeElem) }

func (s *Schema[T]) encodeAt(e *StateEncoder, x **T) { s.Encode(e, *x) }

func (s *Schema[T]) decodeNew(d *StateDecoder, x **T) {
	if !d.NullElement(s.what) {
		*x = new(T)
		s.Decode(d, *x)
	}
}

func (s *Schema[T]) decodeValue(d *StateDecoder, x *T) {
	if !d.NullElement(s.what) {
		s.Decode(d, x)
	}
}

// encodeList writes a list, each element by elem; nil is null.
func encodeList[E any](e *StateEncoder, list []E, elem func(*StateEncoder, *E)) {
	if list == nil {
		e.Null()
		return
	}
	e.BeginArray()
	for i := range list {
		elem(e, &list[i])
	}
	e.EndArray()
}

// decodeList reads a list, each element by elem: null is nil, [] an empty
// list.
func decodeList[E any](d *StateDecoder, elem func(*StateDecoder, *E)) []E {
	if !d.Array() {
		return nil
	}
	list := []E{}
	for d.More() {
		var zero E
		list = append(list, zero)
		elem(d, &list[len(list)-1]) // in place: a local would escape through elem
	}
	return list
}

// Members of each kind. at returns where the value lives in a T.

// scalar is a member holding one value of a comparable type, empty when
// it is the type's zero.
func scalar[T any, V comparable](name string, at func(*T) *V, encode func(*StateEncoder, V), decode func(*StateDecoder) V) Field[T] {
	var zero V
	return Field[T]{
		name:   name,
		empty:  func(x *T) bool { return *at(x) == zero },
		encode: func(e *StateEncoder, x *T) { encode(e, *at(x)) },
		decode: func(d *StateDecoder, x *T) { *at(x) = decode(d) },
	}
}

// StringField is a string member.
func StringField[T any](name string, at func(*T) *string) Field[T] {
	f := scalar(name, at, (*StateEncoder).String, (*StateDecoder).String)
	f.str = at
	return f
}

// UintField is a member counting from zero.
func UintField[T any](name string, at func(*T) *uint64) Field[T] {
	return scalar(name, at, (*StateEncoder).Uint, (*StateDecoder).Uint64)
}

// FloatField is a number member.
func FloatField[T any](name string, at func(*T) *float64) Field[T] {
	return scalar(name, at, (*StateEncoder).Float, (*StateDecoder).Float)
}

// BoolField is a true-or-false member.
func BoolField[T any](name string, at func(*T) *bool) Field[T] {
	f := scalar(name, at, (*StateEncoder).Bool, (*StateDecoder).Bool)
	f.flag = at
	return f
}

// IntField is a whole-number member.
func IntField[T any, N ~int | ~int64](name string, at func(*T) *N) Field[T] {
	return Field[T]{
		name:   name,
		empty:  func(x *T) bool { return *at(x) == 0 },
		encode: func(e *StateEncoder, x *T) { e.Int(int64(*at(x))) },
		decode: func(d *StateDecoder, x *T) {
			n := d.Int64()
			if int64(N(n)) != n {
				d.Fail("the number %d is out of range", n)
			}
			*at(x) = N(n)
		},
	}
}

// StringMapField is an object of strings, written with its keys sorted.
func StringMapField[T any](name string, at func(*T) *map[string]string) Field[T] {
	return Field[T]{
		name:   name,
		empty:  func(x *T) bool { return len(*at(x)) == 0 },
		encode: func(e *StateEncoder, x *T) { e.StringMap(*at(x)) },
		decode: func(d *StateDecoder, x *T) { *at(x) = d.StringMap() },
	}
}

// listField is a member holding a list, each element written and read by the
// given functions.
func listField[T, E any](name string, at func(*T) *[]E, encode func(*StateEncoder, *E), decode func(*StateDecoder, *E)) Field[T] {
	return Field[T]{
		name:   name,
		empty:  func(x *T) bool { return len(*at(x)) == 0 },
		encode: func(e *StateEncoder, x *T) { encodeList(e, *at(x), encode) },
		decode: func(d *StateDecoder, x *T) { *at(x) = decodeList(d, decode) },
	}
}

// StringsField is a list of strings.
func StringsField[T any](name string, at func(*T) *[]string) Field[T] {
	f := listField(name, at,
		func(e *StateEncoder, s *string) { e.String(*s) },
		func(d *StateDecoder, s *string) { *s = d.String() })
	f.decode = func(d *StateDecoder, x *T) { *at(x) = d.strings() }
	return f
}

// IntsField is a list of whole numbers.
func IntsField[T any, N ~int | ~int64](name string, at func(*T) *[]N) Field[T] {
	return listField(name, at,
		func(e *StateEncoder, n *N) { e.Int(int64(*n)) },
		func(d *StateDecoder, n *N) { *n = N(d.Int64()) })
}

// ListField is a list of objects held by pointer.
func ListField[T, E any](name string, schema *Schema[E], at func(*T) *[]*E) Field[T] {
	f := listField(name, at, schema.encodeAt, schema.decodeNew)
	f.decode = func(d *StateDecoder, x *T) { *at(x) = schema.decodePointers(d) }
	return f
}

// decodePointers reads a list of objects held by pointer, as decodeList
// with decodeNew would, but allocates the objects a few at a time and the
// list with room for a few from the start: a big cluster's groups and
// resources are tens of thousands of objects, most groups a handful of
// resources.
func (s *Schema[T]) decodePointers(d *StateDecoder) []*T {
	if !d.Array() {
		return nil
	}
	list := make([]*T, 0, 4)
	var slab []T
	for d.More() {
		if d.NullElement(s.what) {
			list = append(list, nil)
			continue
		}
		if len(slab) == 0 {
			slab = make([]T, min(max(len(list), 4), 256))
		}
		x := &slab[0]
		slab = slab[1:]
		s.Decode(d, x)
		list = append(list, x)
	}
	return list
}

// ValuesField is a list of objects held by value.
func ValuesField[T, E any](name string, schema *Schema[E], at func(*T) *[]E) Field[T] {
	return listField(name, at, schema.Encode, schema.decodeValue)
}
