package lang_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"

	"go.starlark.net/starlark"
)

// checkRegistry is a registry of made-up builtins, so that the rules of
// check are seen apart from any real builtin.
func checkRegistry() *lang.Registry {
	none := func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		return starlark.None, nil
	}
	reg := lang.NewRegistry("t")
	reg.Add(
		lang.Builtin{Name: "paint", Params: `(wall, colour="white", finish=None, coats=["primer"])`, Topic: "t", Fn: none, Summary: "paints",
			Enums: map[string]*lang.Enum{
				"colour": {What: "colour", Values: []string{"white", "red", "blue"}},
				"finish": {What: "finish", Values: []string{"Matt", "Gloss"}, FoldCase: true},
				"coats":  {What: "coat", Values: []string{"primer", "top"}},
			}},
		lang.Builtin{Name: "hang", Params: `(picture, wall, height=150)`, Topic: "t", Fn: none, Summary: "hangs"},
		lang.Builtin{Name: "label", Params: `(thing, text, **extra)`, Topic: "t", Fn: none, Summary: "labels"},
		lang.Builtin{Name: "each", Params: `(fn, *args)`, Topic: "t", Fn: none, Summary: "calls"},
		lang.Builtin{Name: "mount", Params: `(disk=None)`, Topic: "t", Fn: none, Summary: "mounts",
			Enums: map[string]*lang.Enum{"disk": {What: "disk", Values: []string{"auto", "none"}, Open: "a disk's label"}}},
	)
	return reg
}

func TestCheckCalls(t *testing.T) {
	dir := t.TempDir()
	src := `paint("north")
paint("north", "green", finish = "matt", coats = ["primer", "tpo"])
paint(wall = "north", colur = "red")
paint("north", colour = "rde", wall = "south")
hang()
hang("Mona Lisa")
hang("Mona Lisa", "east", 160, 4)
label("door", "Exit", colour = "green", text = "Exit", thing = "x")
label("door", tex = "Exit")
each(paint, "a", "b", "c")
args = ["north", "purple"]
paint(*args)
mount("Data1")
mount("nnoe")
mount(("auto"))

def room():
    paint("west", colour = "bleu")
    hang = lambda *a: None
    hang()

def shadow(paint):
    paint()
`
	p := filepath.Join(dir, "room.star")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range lang.CheckFile(checkRegistry(), p) {
		got = append(got, strings.TrimPrefix(e.Error(), dir+string(filepath.Separator)))
	}
	want := []string{
		`room.star:2:16: paint: unknown colour "green"; use one of "white", "red", "blue"`,
		`room.star:2:61: paint: unknown coat "tpo" (did you mean "top"?); use one of "primer", "top"`,
		`room.star:3:23: paint: unexpected keyword argument "colur" (did you mean colour?)`,
		`room.star:4:25: paint: unknown colour "rde" (did you mean "red"?); use one of "white", "red", "blue"`,
		`room.star:4:32: paint: got multiple values for keyword argument "wall"`,
		`room.star:5:5: hang: missing arguments for picture, wall`,
		`room.star:6:5: hang: missing argument for wall`,
		`room.star:7:5: hang: got 4 arguments, want at most 3`,
		`room.star:9:6: label: missing argument for text`,
		`room.star:14:7: mount: unknown disk "nnoe" (did you mean "none"?); use one of "auto", "none", or a disk's label`,
		`room.star:18:28: paint: unknown colour "bleu" (did you mean "blue"?); use one of "white", "red", "blue"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check room.star:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
