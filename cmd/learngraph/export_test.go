package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"learngraph"
	"learngraph/loader"
)

// caPlanDir is the loader's degree-plan fixture: a directory with one CA
// file and nothing else.
const caPlanDir = "../../loader/testdata/ca/plan"

// loadCA loads an exported CA file as a curriculum directory of its own.
func loadCA(t *testing.T, csv string) *learngraph.Graph {
	t.Helper()
	g, err := loader.Load(fstest.MapFS{"exported.csv": {Data: []byte(csv)}})
	if err != nil {
		t.Fatalf("the export does not load: %v\n%s", err, csv)
	}
	return g
}

func TestExport(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout []string // parts the output must contain; nil: must be empty
		stderr []string
		// concepts is how many concepts the export must load back with;
		// 0 when it writes nothing.
		concepts int
	}{
		{name: "Seeds", args: []string{"export", seedsDir}, code: 0, concepts: 74,
			stdout: []string{"Curriculum,Advanced\n", "System Type,semester\n",
				"Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours,Institution,Canonical Name\n"}},
		{name: "SeedsFromEnv", env: map[string]string{"LEARNGRAPH_SEEDS": seedsDir}, args: []string{"export", "--format", "ca-csv"}, code: 0, concepts: 74,
			stdout: []string{"Curriculum,Advanced\n"}},
		{name: "CAFileBack", args: []string{"export", "--format=ca-csv", caPlanDir}, code: 0, concepts: 7,
			stdout: []string{"Curriculum,Four-Term Plan\n", "4,Basic Basket Forms Lab,BW,111L,,,3,1,,\n", `5,Basic Underwater Basketweaving,BW,110,"1,3",2,,3,,Baskets II`}},
		{name: "Broken", args: []string{"export", "testdata/broken"}, code: 1,
			stderr: []string{"learngraph export: testdata/broken does not form a curriculum",
				"  testdata/broken/links.yaml:11: ERROR DANGLING_REFERENCE: no concept \"Lifetimez\""}},
		{name: "UnknownFormat", args: []string{"export", "--format", "json", seedsDir}, code: 2, stderr: []string{`unknown format "json": want ca-csv`}},
		{name: "NotADirectory", args: []string{"export", "testdata/nope"}, code: 2, stderr: []string{"testdata/nope is not a directory"}},
		{name: "TwoDirectories", args: []string{"export", "a", "b"}, code: 2, stderr: []string{"one directory at most"}},
		{name: "UnknownFlag", args: []string{"export", "--frob"}, code: 2, stderr: []string{"flag provided but not defined: -frob"}},
		{name: "Help", args: []string{"export", "-h"}, code: 0, stderr: []string{"Usage: learngraph export [DIR] [--format ca-csv] [-o FILE]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout does not contain %q:\n%s", want, stdout)
				}
			}
			if tt.stdout == nil && stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr)
				}
			}
			if tt.concepts > 0 {
				if g := loadCA(t, stdout); len(g.Concepts) != tt.concepts {
					t.Errorf("the export loads with %d concepts, want %d", len(g.Concepts), tt.concepts)
				}
			}
		})
	}
}

func TestExportToFile(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "seeds.csv")
		code, stdout, stderr := run(t, nil, "export", seedsDir, "-o", file)
		if code != 0 || stdout != "" {
			t.Fatalf("exit code %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		if want := "wrote 74 concepts of " + seedsDir + " to " + file; !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not contain %q", stderr, want)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, fromStdout, _ := run(t, nil, "export", seedsDir)
		if string(data) != fromStdout {
			t.Error("the file differs from what export writes to standard output")
		}
		if g := loadCA(t, string(data)); len(g.Concepts) != 74 {
			t.Errorf("the file loads with %d concepts, want 74", len(g.Concepts))
		}
	})
	t.Run("ErrBroken", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "broken.csv")
		if code, _, _ := run(t, nil, "export", "testdata/broken", "-o", file); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Errorf("a curriculum with errors left a file: %v", err)
		}
	})
	t.Run("ErrUnwritable", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "no-such-dir", "out.csv")
		code, _, stderr := run(t, nil, "export", seedsDir, "-o", file)
		if code != 1 || !strings.Contains(stderr, "no-such-dir") {
			t.Errorf("exit code %d, stderr %q; want 1 naming the path", code, stderr)
		}
	})
}
