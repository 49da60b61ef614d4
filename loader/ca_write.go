package loader

import (
	"encoding/csv"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"learngraph"
)

// WriteCA writes g as a CurricularAnalytics curriculum CSV, so CA's tools
// can work on any curriculum, Markdown or CA: the header block
// (Curriculum is the name of the phase that teaches the first taught
// concept, else of the first phase, else "learngraph"; System Type is
// CA's default, semester; the other values are empty), then every concept
// as a course with Course IDs 1..n in g's order and its REQUIRES,
// COREQUIRES and STRICTLY_COREQUIRES links as Prerequisites, Corequisites
// and Strict-Corequisites (Course IDs, comma-separated).
//
// A concept read from a CA file gets its prefix, number, credit hours and
// canonical name back from its description (see courseDetails), unless a
// links file rewrote it; any other concept has no prefix or number and 1
// credit hour. Reading the output back gives the same concepts in the same
// order, named alike, with the same requisites. Their ids are the same
// too, except where the CA format cannot carry one: a Markdown concept
// whose id names its section (a name listed under two headings) comes
// back as name--course-id. Degree-plan terms are not written.
func WriteCA(w io.Writer, g *learngraph.Graph) error {
	cw := csv.NewWriter(w)
	write := func(cells ...string) { _ = cw.Write(cells) } // the first error sticks; cw.Error reports it
	write("Curriculum", caCurriculumName(g))
	write("Institution", "")
	write("Degree Type", "")
	write("System Type", "semester")
	write("CIP", "")
	write(caCourseSections[0])
	header := make([]string, 0, len(caColumns))
	for _, col := range caColumns {
		if col != colTerm {
			header = append(header, string(col))
		}
	}
	write(header...)

	caID := make(map[string]int, len(g.Concepts))
	for i, c := range g.Concepts {
		caID[c.ID] = i + 1
	}
	// requisites[concept id][column] lists the Course IDs of its requisites.
	requisites := map[string]map[caColumn][]int{}
	for _, l := range g.Links {
		from, to := caID[l.From.ID], caID[l.To.ID]
		if l.From.Kind != learngraph.KindConcept || l.To.Kind != learngraph.KindConcept || from == 0 || to == 0 {
			continue
		}
		for _, rc := range caRequisiteColumns {
			if rc.rel == l.Rel {
				if requisites[l.From.ID] == nil {
					requisites[l.From.ID] = map[caColumn][]int{}
				}
				requisites[l.From.ID][rc.col] = append(requisites[l.From.ID][rc.col], to)
			}
		}
	}
	for i, c := range g.Concepts {
		d := exportDetails(c)
		credits := "1"
		if d.hasCredits {
			credits = strconv.FormatFloat(d.credits, 'f', -1, 64)
		}
		prefix, number, _ := strings.Cut(d.code(), " ")
		write(strconv.Itoa(i+1), c.Name, prefix, number,
			idList(requisites[c.ID][colPrereqs]), idList(requisites[c.ID][colCoreqs]), idList(requisites[c.ID][colStrict]),
			credits, "", d.canonical)
	}
	cw.Flush()
	return cw.Error()
}

// caCurriculumName names the exported curriculum.
func caCurriculumName(g *learngraph.Graph) string {
	for _, c := range g.Concepts {
		if !c.Taught || c.Phase == "" {
			continue
		}
		for _, p := range g.Phases {
			if p.ID == c.Phase {
				return p.Name
			}
		}
	}
	if len(g.Phases) > 0 && g.Phases[0].Name != "" {
		return g.Phases[0].Name
	}
	return "learngraph"
}

// exportDetails are the course details of c: what its description keeps
// when it was read from a CA file, nothing otherwise.
func exportDetails(c *learngraph.Concept) courseDetails {
	if !strings.EqualFold(path.Ext(c.File), ".csv") {
		return courseDetails{}
	}
	d, _ := parseCourseDetails(c.Description)
	return d
}

// idList is CA's list of Course IDs, in ascending order.
func idList(ids []int) string {
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	return strings.Join(parts, ",")
}
