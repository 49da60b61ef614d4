package storetest

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"learngraph"
)

// Shape of the synthetic curricula.
const (
	syntheticDepth        = 40 // levels of REQUIRES; the longest chain has this many concepts
	syntheticPrereqs      = 5  // REQUIRES edges per concept below the first level
	syntheticReach        = 5  // how many levels back the extra prerequisites may reach
	syntheticTopicSize    = 50 // concepts per topic
	syntheticPhases       = 4
	syntheticPathConcepts = 20
	syntheticPathCrates   = 5 // what a widget lists as "crates for this path"
)

// Synthetic returns a valid curriculum graph of n concepts for benchmarks
// and large-graph tests: concepts in 40 levels (for n ≥ 40), each below the
// first requiring one concept of the level just above and about four more
// from the five levels above (about five edges each, chains 40 deep), in
// four phases, with topics of 50 concepts in study order, crates,
// challenges of every kind, domain paths (each with 20 concepts, two
// topics, two challenges and five crates) and competencies. The same n and
// seed always give the same graph; n below 1 counts as 1.
func Synthetic(n int, seed int64) *learngraph.Graph {
	n = max(1, n)
	s := &synth{
		rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		n:   n,
		g:   &learngraph.Graph{Version: fmt.Sprintf("synthetic-%d-%d", n, seed)},
	}
	s.levels = max(1, min(syntheticDepth, n))
	s.phases()
	s.topics()
	s.concepts()
	s.requires()
	s.crates()
	s.challenges()
	s.paths()
	s.competencies()
	return s.g
}

type synth struct {
	rng    *rand.Rand
	n      int
	levels int
	g      *learngraph.Graph
}

func (s *synth) level(i int) int        { return i * s.levels / max(1, s.n) }
func (s *synth) phaseOf(i int) int      { return 1 + s.level(i)*syntheticPhases/s.levels }
func (s *synth) conceptID(i int) string { return fmt.Sprintf("concept-%06d", i) }
func (s *synth) doc(phase int) string   { return fmt.Sprintf("phase-%d.md", phase) }

// levelStart returns the first concept of level l.
func (s *synth) levelStart(l int) int {
	return (l*s.n + s.levels - 1) / s.levels
}

func (s *synth) link(rel learngraph.Rel, from, to learngraph.NodeRef, reason string) {
	s.g.Links = append(s.g.Links, learngraph.Link{Rel: rel, From: from, To: to, Reason: reason})
}

func (s *synth) phases() {
	s.g.Documents = []string{}
	for p := 1; p <= syntheticPhases; p++ {
		s.g.Documents = append(s.g.Documents, s.doc(p))
		s.g.Phases = append(s.g.Phases, &learngraph.Phase{
			ID: fmt.Sprintf("phase-%d", p), Number: p, Name: fmt.Sprintf("Level %d", p),
			Title: fmt.Sprintf("Phase %d: Level %d", p, p),
			Pos:   learngraph.Position{Phase: p, File: p - 1}, Source: learngraph.Source{File: s.doc(p), Line: 1},
		})
		if p > 1 {
			s.link(learngraph.BuildsOn, s.g.Phases[p-1].Ref(), s.g.Phases[p-2].Ref(), "")
		}
	}
	s.g.Documents = append(s.g.Documents, "links.yaml")
}

func (s *synth) topics() {
	for t := 0; t*syntheticTopicSize < s.n; t++ {
		phase := s.phaseOf(t * syntheticTopicSize)
		topic := &learngraph.Topic{
			ID: fmt.Sprintf("topic-%04d", t), Name: fmt.Sprintf("Topic %d", t),
			Description: fmt.Sprintf("Synthetic topic %d", t), Group: fmt.Sprintf("Group %d", t/10),
			Phase: fmt.Sprintf("phase-%d", phase), StudyStep: t + 1,
			Pos:    learngraph.Position{Phase: phase, File: phase - 1, Index: t},
			Source: learngraph.Source{File: s.doc(phase), Line: 10 + t},
		}
		s.g.Topics = append(s.g.Topics, topic)
		s.link(learngraph.PartOf, topic.Ref(), learngraph.NodeRef{Kind: learngraph.KindPhase, ID: topic.Phase}, "")
		if t > 0 {
			s.link(learngraph.Follows, topic.Ref(), s.g.Topics[t-1].Ref(), "")
		}
	}
}

func (s *synth) concepts() {
	for i := range s.n {
		phase := s.phaseOf(i)
		topic := s.g.Topics[i/syntheticTopicSize]
		c := &learngraph.Concept{
			ID: s.conceptID(i), Name: fmt.Sprintf("Concept %d", i),
			Description: fmt.Sprintf("Synthetic concept %d at depth %d", i, s.level(i)),
			Section:     topic.Name, Topic: topic.ID, Phase: topic.Phase, Taught: true,
			Pos:    learngraph.Position{Phase: phase, File: phase - 1, Index: 1000 + i},
			Source: learngraph.Source{File: s.doc(phase), Line: 1000 + i},
		}
		if s.level(i) == 0 && i%10 == 0 {
			// Some roots are taught by earlier courses, as real ones are.
			c.Taught, c.TaughtElsewhere, c.Topic, c.Phase, c.Section = false, true, "", "", ""
		} else {
			s.link(learngraph.Covers, topic.Ref(), c.Ref(), "")
		}
		s.g.Concepts = append(s.g.Concepts, c)
	}
}

func (s *synth) requires() {
	for i := range s.n {
		l := s.level(i)
		if l == 0 {
			continue
		}
		chosen := map[int]bool{}
		// One prerequisite from the level just above keeps chains deep.
		chosen[s.pick(l-1, l)] = true
		for range syntheticPrereqs - 1 {
			chosen[s.pick(max(0, l-syntheticReach), l)] = true
		}
		for _, p := range slices.Sorted(maps.Keys(chosen)) {
			s.g.Links = append(s.g.Links, learngraph.Link{
				Rel: learngraph.Requires, From: s.g.Concepts[i].Ref(), To: s.g.Concepts[p].Ref(),
				Reason: fmt.Sprintf("Concept %d builds on concept %d.", i, p),
				Source: learngraph.Source{File: "links.yaml", Line: 1 + i},
			})
		}
	}
}

// pick returns a random concept of the levels [from, to).
func (s *synth) pick(from, to int) int {
	lo, hi := s.levelStart(from), s.levelStart(to)
	return lo + s.rng.IntN(max(1, hi-lo))
}

func (s *synth) crates() {
	count := max(2, s.n/20)
	for k := range count {
		categories := []string{fmt.Sprintf("Category %d", k%5)}
		if k%7 == 0 {
			categories = append(categories, fmt.Sprintf("Category %d", (k+1)%5))
		}
		s.g.Crates = append(s.g.Crates, &learngraph.Crate{
			ID: fmt.Sprintf("crate-%05d", k), Name: fmt.Sprintf("crate_%05d", k),
			Category: categories[0], Categories: categories, Description: fmt.Sprintf("Synthetic crate %d", k),
			Pos:    learngraph.Position{Phase: syntheticPhases, File: syntheticPhases - 1, Index: 500000 + k},
			Source: learngraph.Source{File: s.doc(syntheticPhases), Line: 500000 + k},
		})
	}
	for i := 0; i < s.n; i += 4 {
		s.link(learngraph.Uses, s.g.Concepts[i].Ref(), s.randomCrate(), "")
	}
}

func (s *synth) randomCrate() learngraph.NodeRef {
	return s.g.Crates[s.rng.IntN(len(s.g.Crates))].Ref()
}

func (s *synth) randomConcept() learngraph.NodeRef {
	return s.g.Concepts[s.rng.IntN(len(s.g.Concepts))].Ref()
}

func (s *synth) challenges() {
	kinds := []learngraph.ChallengeKind{learngraph.Project, learngraph.Capstone, learngraph.Pitfall}
	for k := range max(3, s.n/20) {
		ch := &learngraph.Challenge{
			ID: fmt.Sprintf("challenge-%05d", k), Title: fmt.Sprintf("Challenge %d", k), Kind: kinds[k%3],
			Description: fmt.Sprintf("Synthetic challenge %d", k), Phase: fmt.Sprintf("phase-%d", syntheticPhases),
			Pos:    learngraph.Position{Phase: syntheticPhases, File: syntheticPhases - 1, Index: 600000 + k},
			Source: learngraph.Source{File: s.doc(syntheticPhases), Line: 600000 + k},
		}
		if ch.Kind == learngraph.Pitfall {
			ch.Solution, ch.Tip = "Synthetic solution", "Synthetic tip"
		}
		s.g.Challenges = append(s.g.Challenges, ch)
		s.link(learngraph.Practices, ch.Ref(), s.randomConcept(), "")
		s.link(learngraph.Uses, ch.Ref(), s.randomCrate(), "")
	}
}

func (s *synth) paths() {
	for k := range max(2, s.n/1000) {
		p := &learngraph.DomainPath{
			ID: fmt.Sprintf("path-%03d", k), Name: fmt.Sprintf("Path %d", k),
			Description: fmt.Sprintf("Synthetic domain path %d", k), Phase: fmt.Sprintf("phase-%d", syntheticPhases),
			Pos:    learngraph.Position{Phase: syntheticPhases, File: syntheticPhases - 1, Index: 700000 + k},
			Source: learngraph.Source{File: s.doc(syntheticPhases), Line: 700000 + k},
		}
		s.g.Paths = append(s.g.Paths, p)
		for range min(syntheticPathConcepts, s.n) {
			s.link(learngraph.Includes, p.Ref(), s.randomConcept(), "")
		}
		for range 2 {
			s.link(learngraph.Includes, p.Ref(), s.g.Topics[s.rng.IntN(len(s.g.Topics))].Ref(), "")
			s.link(learngraph.Includes, p.Ref(), s.g.Challenges[s.rng.IntN(len(s.g.Challenges))].Ref(), "")
		}
		// Consecutive crates from a random start: distinct, whatever the
		// number of crates.
		first := s.rng.IntN(len(s.g.Crates))
		for k := range min(syntheticPathCrates, len(s.g.Crates)) {
			s.link(learngraph.Includes, p.Ref(), s.g.Crates[(first+k)%len(s.g.Crates)].Ref(), "")
		}
	}
}

func (s *synth) competencies() {
	for _, ph := range s.g.Phases {
		for k := range 3 {
			c := &learngraph.Competency{
				ID: fmt.Sprintf("%s-competency-%d", ph.ID, k), Text: fmt.Sprintf("%s competency %d", ph.Name, k), Phase: ph.ID,
				Pos:    learngraph.Position{Phase: ph.Number, File: ph.Number - 1, Index: 800000 + k},
				Source: learngraph.Source{File: s.doc(ph.Number), Line: 800000 + k},
			}
			s.g.Competencies = append(s.g.Competencies, c)
			s.link(learngraph.PartOf, c.Ref(), ph.Ref(), "")
			s.link(learngraph.Assesses, c.Ref(), s.randomConcept(), "")
		}
	}
}
