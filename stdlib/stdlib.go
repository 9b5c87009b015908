// Package stdlib embeds the Starlark helpers that runbooks load as
// "@stdlib//name.star".
package stdlib

import "embed"

// FS holds the standard library's .star files.
//
//go:embed *.star
var FS embed.FS
