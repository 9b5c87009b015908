package lang

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
)

// Runbook structure is the host's: a runbook names itself, walks through
// documented procedures step by step, takes parameters and wraps calls in
// transactions. The builtins runbook(), procedure(), step(), param() and
// catch() are thin adapters over these methods; errors report the progress.

// Progress is where a runbook is in its documented procedure.
type Progress struct {
	Runbook   string
	Procedure string
	Step      int
	StepText  string
}

// Progress returns where the runbook is, for error messages.
func (s *Session) Progress() Progress { return s.progress }

// NameRunbook gives the runbook its title, once; the title heads the
// transcript.
func (s *Session) NameRunbook(title string) error {
	if s.progress.Runbook != "" {
		return fmt.Errorf("the runbook is already named %q; call runbook() once, at the top of the main file", s.progress.Runbook)
	}
	if strings.TrimSpace(title) == "" {
		return fmt.Errorf("the title is empty; name the runbook")
	}
	s.progress.Runbook = title
	s.World.Record(KindRunbook, title)
	return nil
}

// StartProcedure starts a documented procedure; its steps count from 1.
func (s *Session) StartProcedure(title string) error {
	if strings.TrimSpace(title) == "" {
		return fmt.Errorf("the title is empty; give the procedure's documented title")
	}
	s.progress.Procedure, s.progress.Step, s.progress.StepText = title, 0, ""
	s.World.Record(KindProcedure, title)
	return nil
}

// Step marks step n of the current procedure, which must be the one after
// the previous step.
func (s *Session) Step(n int, text string) error {
	p := &s.progress
	if p.Procedure == "" {
		return fmt.Errorf("step %d comes before any procedure; call procedure(title) first", n)
	}
	if n != p.Step+1 {
		if p.Step == 0 {
			return fmt.Errorf("procedure %q starts at step 1, not %d; number steps as the document does", p.Procedure, n)
		}
		return fmt.Errorf("step %d follows step %d of %q; steps are consecutive, so this one is %d", n, p.Step, p.Procedure, p.Step+1)
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("step %d has no text; paraphrase the documented step", n)
	}
	p.Step, p.StepText = n, text
	s.World.Record(KindStep, fmt.Sprintf("%d. %s", n, text))
	s.probeStep()
	return nil
}

// Transaction runs fn with output held back (catch). When fn fails, every
// change it made to the world and to the runbook's progress is rolled back
// and its events are never written, nor its quietly() lines.
func (s *Session) Transaction(fn func() error) error {
	mark := s.World.Begin()
	progress, folds := s.progress, len(s.folds)
	s.hold++
	err := fn()
	s.hold--
	if err != nil {
		s.World.Rollback(mark)
		s.progress, s.folds = progress, s.folds[:folds]
	} else {
		s.World.Commit(mark)
	}
	s.Flush()
	return err
}

// Param returns the value given with --set name=..., marking it used.
func (s *Session) Param(name string) (starlark.Value, bool) {
	s.paramsUse[name] = true
	v, ok := s.Params[name]
	return v, ok
}

// UnusedParams lists --set names no param() call asked for.
func (s *Session) UnusedParams() []string {
	var out []string
	for n := range s.Params {
		if !s.paramsUse[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
