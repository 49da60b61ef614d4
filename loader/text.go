package loader

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"

	"learngraph"
)

const bom = "\xef\xbb\xbf"

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte(bom)) }

// checkText rejects what cannot be a curriculum text file: empty (or
// blank) files, binary files (NUL bytes) and bytes that are not UTF-8,
// with the line of the first offending byte.
func checkText(name string, raw []byte) (learngraph.Finding, bool) {
	text := stripBOM(raw)
	if len(bytes.TrimSpace(text)) == 0 {
		need := "a document needs at least a \"# Phase N: Name\" title, a links file at least \"version: 1\""
		if formats[strings.ToLower(path.Ext(name))] == formatCA {
			need = "a CurricularAnalytics CSV needs at least a \"Courses\" row and a header row"
		}
		return invalid(name, 0, "empty file: %s", need), false
	}
	if i := bytes.IndexByte(text, 0); i >= 0 {
		return invalid(name, lineOfOffset(text, i), "binary file (NUL byte): curriculum files are UTF-8 text"), false
	}
	if i := invalidUTF8(text); i >= 0 {
		return invalid(name, lineOfOffset(text, i), "not valid UTF-8 (byte 0x%02x): save the file as UTF-8", text[i]), false
	}
	return learngraph.Finding{}, true
}

// invalidUTF8 returns the offset of the first byte that is not part of a
// valid UTF-8 sequence, or -1.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func lineOfOffset(b []byte, off int) int {
	return bytes.Count(b[:off], []byte("\n")) + 1
}
