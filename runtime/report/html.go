package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"clusterscript/runtime/core"
)

// The page's stylesheet and script, inlined into every report: the page
// works from a file with no network access.
var (
	//go:embed page.css
	pageCSS string
	//go:embed page.js
	pageJS string
)

// WriteHTML writes the report as one self-contained HTML page: what can be
// read without a script (title, result, error) is HTML; the rest is drawn
// by the inlined script from the report's data, inlined as JSON.
func (r *Report) WriteHTML(out io.Writer) error {
	data, err := json.Marshal(r) // escapes <, > and &: the data cannot end its script element
	if err != nil {
		return fmt.Errorf("report: encoding the page's data: %w", err)
	}
	var b strings.Builder
	b.Grow(len(data) + len(pageCSS) + len(pageJS) + 4096)
	esc := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	// No network: the page allows nothing but its own inline style and script.
	b.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
	fmt.Fprintf(&b, "<title>%s — clusterscript report</title>\n", esc(r.Title))
	b.WriteString("<style>\n" + pageCSS + "</style>\n</head>\n<body>\n<header>\n")
	fmt.Fprintf(&b, "<h1 id=\"title\">%s</h1>\n", esc(r.Title))
	result := "<span class=\"result ok\" id=\"result\">succeeded</span>"
	if !r.OK {
		result = "<span class=\"result failed\" id=\"result\">failed</span>"
	}
	fmt.Fprintf(&b, "<p class=\"run\">%s %s · %s to %s · %d events</p>\n", esc(r.File), result,
		esc(timeText(r.From)), esc(timeText(r.To)), len(r.Transcript.Seq))
	if !r.OK {
		where := ""
		if r.Procedure != "" {
			where = "<p class=\"where\">" + esc(fmt.Sprintf("in procedure %q, step %d", r.Procedure, r.Step)) + "</p>\n"
		}
		fmt.Fprintf(&b, "<pre class=\"error\" id=\"error\">%s</pre>\n%s", esc(r.Error), where)
	}
	if len(r.Problems) > 0 {
		b.WriteString("<details class=\"problems\"><summary>The timeline may be incomplete</summary><ul>\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "<li>%s</li>\n", esc(p))
		}
		b.WriteString("</ul></details>\n")
	}
	b.WriteString("<nav><a href=\"#timeline\">Timeline</a> <a href=\"#groups\">Dependencies</a>")
	if len(r.NLB) > 0 {
		b.WriteString(" <a href=\"#nlb\">NLB</a>")
	}
	b.WriteString(" <a href=\"#transcript\">Transcript</a>")
	if r.Matrix != nil {
		b.WriteString(" <a href=\"#explore\">Explore</a>")
	}
	b.WriteString("</nav>\n</header>\n<main>\n")
	b.WriteString("<noscript><p>The timeline, graphs and transcript are drawn by the page's script; allow scripts for this file.</p></noscript>\n")
	b.WriteString(`<section id="timeline"><h2>Timeline</h2><div class="controls"></div><div class="legend"></div><div class="tl"></div></section>
<section id="groups"><h2>Dependencies</h2><div class="controls"></div><div class="graphs"></div><div class="pager"></div></section>
`)
	if len(r.NLB) > 0 {
		b.WriteString("<section id=\"nlb\"><h2>NLB bucket maps</h2><div class=\"nlb\"></div></section>\n")
	}
	b.WriteString(`<section id="transcript"><h2>Transcript</h2><div class="controls"></div><div class="pager"></div><table class="events"><thead><tr><th>#</th><th>time</th><th>kind</th><th>subject</th><th>text</th></tr></thead><tbody></tbody></table><div class="pager"></div></section>
`)
	if r.Matrix != nil {
		b.WriteString("<section id=\"explore\"><h2>Explore: outcome by point and fault</h2><div class=\"matrix\"></div><div class=\"cases\"></div></section>\n")
	}
	b.WriteString("</main>\n<script type=\"application/json\" id=\"report-data\">")
	b.Write(data)
	b.WriteString("</script>\n<script>\n" + pageJS + "</script>\n</body>\n</html>\n")
	_, err = io.WriteString(out, b.String())
	return err
}

func timeText(ms int64) string {
	return strings.TrimSuffix(core.FormatTime(ms), ".000")
}
