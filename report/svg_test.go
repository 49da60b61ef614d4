package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"learngraph"
	"learngraph/report"
)

// svg wraps the body in an SVG root that declares the namespaces.
func svg(body string) string {
	return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">` + body + `</svg>`
}

func TestSafeSVG(t *testing.T) {
	tests := []struct {
		name string
		in   string
		// want is the markup accepted; "" when the picture is refused,
		// with refusal a part of the error message.
		want    string
		refusal string
	}{
		{name: "Graphviz", in: graphvizSVG, want: `<svg width="62pt" height="116pt" viewBox="0.00 0.00 62.00 116.00">`},
		{name: "FragmentLinks", in: svg(`<a xlink:href="#n1"><use href="#n2"/></a>`), want: `<a href="#n1"><use href="#n2"></use></a>`},
		{name: "LocalPaint", in: svg(`<rect style="fill: url( '#g' )" marker-end="url(#arrow)"/>`), want: `style="fill: url( &#39;#g&#39; )"`},
		{name: "TextEscaped", in: svg(`<text>a &lt;b&gt; &amp; "c"</text>`), want: `<text>a &lt;b&gt; &amp; &#34;c&#34;</text>`},
		// An XML parser reads these as text; the HTML parser would read
		// markup in them inside <title>. They come out as escaped text.
		{name: "CDATABecomesText", in: svg(`<title><![CDATA[><img src=x onerror=alert(1)>]]></title>`),
			want: `<title>&gt;&lt;img src=x onerror=alert(1)&gt;</title>`},
		{name: "CommentDropped", in: svg(`<g><!--><img src=x onerror=alert(1)>--></g>`), want: `<g></g>`},
		{name: "ToolTipWithBackslash", in: svg(`<a xlink:title="C:\dir (copy)"/>`), want: `xlink:title="C:\dir (copy)"`},

		{name: "NotXML", in: `<svg xmlns="http://www.w3.org/2000/svg"><g></svg>`, refusal: "not well-formed XML"},
		{name: "Empty", in: ``, refusal: "no <svg> element"},
		{name: "Unclosed", in: `<svg xmlns="http://www.w3.org/2000/svg"><g>`, refusal: "not well-formed XML"},
		{name: "HTMLRoot", in: `<html><body/></html>`, refusal: "root element is <html>"},
		{name: "NoNamespace", in: `<svg><g/></svg>`, refusal: "not in the SVG namespace"},
		{name: "TwoRoots", in: svg(``) + svg(``), refusal: "after the end of the <svg> element"},
		{name: "TextAfterRoot", in: svg(``) + `hello`, refusal: "text outside the <svg> element"},
		{name: "Script", in: svg(`<script>alert(1)</script>`), refusal: "<script> is not allowed"},
		{name: "ScriptXHTML", in: svg(`<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>`), refusal: "<script> is not in the SVG namespace"},
		{name: "ForeignObject", in: svg(`<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>`), refusal: "<foreignObject> is not allowed"},
		{name: "Image", in: svg(`<image href="#x"/>`), refusal: "<image> is not allowed"},
		{name: "Animate", in: svg(`<a><animate attributeName="href" to="javascript:alert(1)"/></a>`), refusal: "<animate> is not allowed"},
		{name: "HTMLBreakout", in: svg(`<p/>`), refusal: "<p> is not allowed"},
		{name: "OnLoad", in: `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, refusal: "event handler attribute onload"},
		{name: "OnClickUpperCase", in: svg(`<g ONCLICK="alert(1)"/>`), refusal: "event handler attribute ONCLICK"},
		{name: "JavaScriptLink", in: svg(`<a xlink:href="javascript:alert(1)"/>`), refusal: `href="javascript:alert(1)" leaves the picture`},
		{name: "ExternalLink", in: svg(`<a href="https://example.org/">x</a>`), refusal: "leaves the picture"},
		{name: "ExternalUse", in: svg(`<use href="other.svg#x"/>`), refusal: "leaves the picture"},
		{name: "TwoHrefs", in: svg(`<a href="#a" xlink:href="#b"/>`), refusal: "attribute href given twice"},
		{name: "XMLBase", in: svg(`<g xml:base="https://example.org/"/>`), refusal: "xml:base is not allowed"},
		{name: "UnknownNamespace", in: svg(`<g xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="click"/>`), refusal: "unknown namespace"},
		{name: "ExternalFill", in: svg(`<rect fill="url(https://example.org/p.svg#g)"/>`), refusal: "url(https://example.org/p.svg#g) leaves the picture"},
		{name: "ExternalStyleAttribute", in: svg(`<rect style="background: URL(&quot;//example.org/x.png&quot;)"/>`), refusal: "leaves the picture"},
		{name: "StyleImport", in: svg(`<style>@import "https://example.org/x.css";</style>`), refusal: "@import is not allowed"},
		{name: "StyleURL", in: svg(`<style>g { filter: url(x.svg#f) }</style>`), refusal: "leaves the picture"},
		{name: "StyleEscape", in: svg(`<style>g { filter: u\72l(x.svg#f) }</style>`), refusal: "backslash escapes"},
		{name: "Expression", in: svg(`<rect style="width: expression(alert(1))"/>`), refusal: "expression() is not allowed"},
		{name: "UnknownEntity", in: svg(`<text>&nbsp;</text>`), refusal: "not well-formed XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := report.SafeSVG([]byte(tt.in))
			if tt.refusal != "" {
				if err == nil {
					t.Fatalf("accepted:\n%s", got)
				}
				if learngraph.ErrorCode(err) != learngraph.EINVALID || !strings.Contains(err.Error(), tt.refusal) {
					t.Errorf("error %q (code %s), want EINVALID saying %q", err, learngraph.ErrorCode(err), tt.refusal)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !strings.Contains(string(got), tt.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", got, tt.want)
			}
			checkInlinable(t, got)
		})
	}
}

// TestSafeSVGLine checks that a refusal says where in the picture it is.
func TestSafeSVGLine(t *testing.T) {
	_, err := report.SafeSVG([]byte("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<g>\n<script/>\n</g>\n</svg>"))
	if err == nil || !strings.Contains(err.Error(), "line 3:") {
		t.Errorf("error %v, want it at line 3", err)
	}
}

// checkInlinable checks what SafeSVG promises of what it returns: XML
// with no script, no handler, no link or url() that leaves the picture,
// and none of the constructs HTML parses differently.
func checkInlinable(t *testing.T, markup []byte) {
	t.Helper()
	for _, bad := range []string{"<![CDATA[", "<!--", "<?", "<!DOCTYPE"} {
		if bytes.Contains(markup, []byte(bad)) {
			t.Errorf("markup holds %q:\n%s", bad, markup)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(markup))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("markup is not XML: %v\n%s", err, markup)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if strings.EqualFold(start.Name.Local, "script") {
			t.Errorf("markup holds a script:\n%s", markup)
		}
		for _, a := range start.Attr {
			name, value := strings.ToLower(a.Name.Local), strings.ToLower(a.Value)
			if strings.HasPrefix(name, "on") || (name == "href" || name == "src") && !strings.HasPrefix(value, "#") || leavesByURL(value) {
				t.Errorf("markup holds %s=%q:\n%s", a.Name.Local, a.Value, markup)
			}
		}
	}
}

// leavesByURL says whether CSS text has a url() of anything but a
// #fragment.
func leavesByURL(css string) bool {
	parts := strings.Split(strings.ToLower(css), "url(")
	for _, p := range parts[1:] {
		if !strings.HasPrefix(strings.TrimLeft(p, " \t\r\n\f'\""), "#") {
			return true
		}
	}
	return false
}

func FuzzSafeSVG(f *testing.F) {
	f.Add(graphvizSVG)
	f.Add(svg(`<a xlink:href="#n1"><text>x &amp; y</text></a>`))
	f.Add(svg(`<title><![CDATA[<img src=x>]]></title><!-- c -->`))
	f.Add(svg(`<style>g { fill: url(#a) }</style><rect style="fill:url(#b)" onclick="x"/>`))
	f.Fuzz(func(t *testing.T, in string) {
		got, err := report.SafeSVG([]byte(in))
		if err != nil {
			if learngraph.ErrorCode(err) != learngraph.EINVALID {
				t.Errorf("refusal %v has code %s, want %s", err, learngraph.ErrorCode(err), learngraph.EINVALID)
			}
			return
		}
		checkInlinable(t, got)
	})
}
