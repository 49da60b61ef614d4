package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"strings"

	"learngraph"
)

// The namespaces an accepted picture may use.
const (
	svgNamespace   = "http://www.w3.org/2000/svg"
	xlinkNamespace = "http://www.w3.org/1999/xlink"
	xmlNamespace   = "http://www.w3.org/XML/1998/namespace"
)

// svgElements are the SVG elements a picture may contain: what a graph
// drawing needs, and nothing that can run code, embed other documents or
// fetch anything. None of them is an HTML element that would break out of
// the <svg> when a browser parses the page as HTML (p, div, img, font and
// the like), which is why the list allows rather than forbids.
var svgElements = map[string]bool{
	"svg": true, "g": true, "defs": true, "symbol": true, "use": true,
	"title": true, "desc": true, "a": true, "style": true,
	"path": true, "rect": true, "circle": true, "ellipse": true, "line": true,
	"polyline": true, "polygon": true, "text": true, "tspan": true, "textPath": true,
	"marker": true, "linearGradient": true, "radialGradient": true, "stop": true,
	"clipPath": true, "mask": true, "pattern": true,
	"filter": true, "feGaussianBlur": true, "feOffset": true, "feFlood": true,
	"feComposite": true, "feMerge": true, "feMergeNode": true, "feBlend": true,
	"feColorMatrix": true, "feDropShadow": true,
}

// SafeSVG checks that svg is one well-formed SVG document that can be
// inlined into a report page without running code or fetching anything,
// and returns the markup to inline. It refuses (EINVALID, with the line)
// anything that is not XML, a root other than <svg>, <script> and every
// other element outside a graph drawing's needs, on* event attributes,
// and links or url() references that leave the picture (only "#id"
// fragments are allowed).
//
// The markup returned is written anew from the parsed elements, attributes
// and text, escaped, rather than copied: comments, CDATA sections,
// processing instructions and the doctype are dropped, because the HTML
// parser reads some of them differently from an XML parser (a CDATA
// section inside <title> becomes markup in HTML), and a check on one
// reading must not be bypassed through the other.
func SafeSVG(svg []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(svg))
	var out bytes.Buffer
	var open []string // elements not yet closed, for the error messages
	closed := false   // the root has ended; only whitespace, comments and the like may follow
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var syntax *xml.SyntaxError
			if errors.As(err, &syntax) {
				return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: not well-formed XML: %s", syntax.Line, syntax.Msg)
			}
			return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: not well-formed XML: %v", line, err)
		}
		line, _ = d.InputPos()
		switch t := tok.(type) {
		case xml.StartElement:
			if closed {
				return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: <%s> after the end of the <svg> element", line, t.Name.Local)
			}
			if len(open) == 0 && t.Name.Local != "svg" {
				return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: the root element is <%s>, want <svg>", line, t.Name.Local)
			}
			if t.Name.Space != svgNamespace {
				return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: <%s> is not in the SVG namespace", line, t.Name.Local)
			}
			if !svgElements[t.Name.Local] {
				return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: <%s> is not allowed in a picture", line, t.Name.Local)
			}
			out.WriteByte('<')
			out.WriteString(t.Name.Local)
			written := map[string]bool{}
			for _, a := range t.Attr {
				name, keep, err := svgAttribute(a)
				if err != nil {
					return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: <%s>: %s", line, t.Name.Local, err)
				}
				if !keep {
					continue
				}
				// href and xlink:href both become href; a browser would
				// keep one of two and a checker might look at the other.
				if written[strings.ToLower(name)] {
					return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: <%s>: attribute %s given twice", line, t.Name.Local, name)
				}
				written[strings.ToLower(name)] = true
				out.WriteByte(' ')
				out.WriteString(name)
				out.WriteString(`="`)
				out.WriteString(html.EscapeString(a.Value))
				out.WriteByte('"')
			}
			out.WriteByte('>')
			open = append(open, t.Name.Local)
		case xml.EndElement:
			// The decoder has checked that it matches the start.
			open = open[:len(open)-1]
			out.WriteString("</")
			out.WriteString(t.Name.Local)
			out.WriteByte('>')
			closed = len(open) == 0
		case xml.CharData:
			if len(open) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: text outside the <svg> element", line)
				}
				continue
			}
			if open[len(open)-1] == "style" {
				if err := checkCSS(string(t)); err != nil {
					return nil, learngraph.Errorf(learngraph.EINVALID, "picture: line %d: <style>: %s", line, err)
				}
			}
			out.WriteString(html.EscapeString(string(t)))
		case xml.Comment, xml.ProcInst, xml.Directive:
			// Dropped; see the doc comment.
		}
	}
	if !closed {
		return nil, learngraph.Errorf(learngraph.EINVALID, "picture: no <svg> element")
	}
	return out.Bytes(), nil
}

// svgAttribute decides what becomes of one attribute: the name to write it
// under, whether to keep it at all (namespace declarations are not needed
// inside HTML), or why the picture is refused.
func svgAttribute(a xml.Attr) (name string, keep bool, err error) {
	switch a.Name.Space {
	case "":
		if a.Name.Local == "xmlns" {
			return "", false, nil
		}
		name = a.Name.Local
	case "xmlns":
		return "", false, nil
	case xlinkNamespace:
		// SVG 2 reads a plain href; every other xlink attribute the HTML
		// parser puts back into its namespace by itself.
		name = "xlink:" + a.Name.Local
		if a.Name.Local == "href" {
			name = "href"
		}
	case xmlNamespace:
		// xml:base could point #fragment links elsewhere.
		if a.Name.Local != "space" && a.Name.Local != "lang" {
			return "", false, errors.New("attribute xml:" + a.Name.Local + " is not allowed")
		}
		name = "xml:" + a.Name.Local
	default:
		return "", false, errors.New("attribute " + a.Name.Space + ":" + a.Name.Local + " is in an unknown namespace")
	}
	lower := strings.ToLower(a.Name.Local)
	switch {
	case strings.HasPrefix(lower, "on"):
		return "", false, errors.New("event handler attribute " + a.Name.Local + " is not allowed")
	case lower == "href" || lower == "src":
		if !strings.HasPrefix(strings.TrimSpace(a.Value), "#") {
			return "", false, errors.New(name + "=" + quote(a.Value) + " leaves the picture; only #fragment links are allowed")
		}
	case cssAttributes[lower] && a.Name.Space == "":
		if err := checkCSS(a.Value); err != nil {
			return "", false, errors.New("attribute " + name + ": " + err.Error())
		}
	}
	return name, true, nil
}

// cssAttributes are the attributes whose values a browser reads as CSS and
// that can name a url(): the style attribute and the presentation
// attributes that take a paint server, filter, clip, mask, marker or
// cursor.
var cssAttributes = map[string]bool{
	"style": true, "fill": true, "stroke": true, "filter": true, "clip-path": true, "mask": true,
	"marker": true, "marker-start": true, "marker-mid": true, "marker-end": true, "cursor": true,
}

// checkCSS refuses style text that would fetch something: url() of
// anything but a #fragment, @import, and the old expression() that ran
// script.
func checkCSS(s string) error {
	// A CSS escape (u\72l, @\69mport) would hide the words looked for
	// below; a drawing has no use for one.
	if strings.Contains(s, `\`) {
		return errors.New("backslash escapes are not allowed in styles")
	}
	lower := strings.ToLower(s)
	if strings.Contains(lower, "@import") {
		return errors.New("@import is not allowed")
	}
	if strings.Contains(lower, "expression(") {
		return errors.New("expression() is not allowed")
	}
	for rest := lower; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return nil
		}
		rest = rest[i+len("url("):]
		target := strings.TrimLeft(rest, " \t\r\n\f\"'")
		if !strings.HasPrefix(target, "#") {
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				end = len(rest)
			}
			return errors.New("url(" + shorten(rest[:end]) + ") leaves the picture; only url(#id) is allowed")
		}
	}
}

// quote quotes an offending value for an error message, shortened so a
// huge attribute does not flood the terminal.
func quote(s string) string { return `"` + shorten(s) + `"` }

func shorten(s string) string {
	const most = 60
	if len(s) > most {
		return strings.ToValidUTF8(s[:most], "") + "…"
	}
	return s
}
