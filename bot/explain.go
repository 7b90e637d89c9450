package bot

import (
	"context"
	"fmt"
	"strings"
)

// Explain shows, stage by stage, how the bot read a question and why it
// replied as it did, for curators tuning facts (ask --explain): what
// cleaning removed, what the analyser read (kind, entities, weighted terms),
// the facts retrieved with their scores and what each lacks, and the
// decision. It answers through the same single pass as Answer.
func (b *Bot) Explain(ctx context.Context, q Question, n int) (Reply, string) {
	if err := ctx.Err(); err != nil {
		return Reply{}, err.Error()
	}
	var t trace
	r := b.answer(ctx, q, &t)
	var s strings.Builder
	c := t.cleaned
	fmt.Fprintf(&s, "1 clean:    %q", c.Text)
	if len(c.Removed) > 0 {
		fmt.Fprintf(&s, "  removed %q", c.Removed)
	}
	if len(c.Context) > 0 {
		fmt.Fprintf(&s, "  context %q", c.Context)
	}
	if c.Problem != "" {
		fmt.Fprintf(&s, "  problem: %s", c.Problem)
	}
	s.WriteString("\n")
	if t.reached >= 2 {
		an := t.analysis
		fmt.Fprint(&s, "2 analyse:  ")
		switch {
		case an.Command != "":
			fmt.Fprintf(&s, "command %q\n", an.Command)
		case an.Smalltalk != "":
			fmt.Fprintf(&s, "small talk %q\n", an.Smalltalk)
		case an.Command != "" && t.last != "":
			fmt.Fprintf(&s, "conversation command %q on the %s\n", an.Command, t.last)
		default:
			fmt.Fprintf(&s, "wants %s", an.Want)
			if an.YesNo {
				s.WriteString(" (yes/no)")
			}
			if an.countHead != "" {
				fmt.Fprintf(&s, ", counts %q %q", an.countHead, an.Counted)
			}
			if an.Focus != "" {
				fmt.Fprintf(&s, ", asks for the %q", an.Focus)
			}
			for _, m := range an.Entities {
				fmt.Fprintf(&s, ", entity %s (%s)", m.entity, m.role)
			}
			if an.Source != "" {
				fmt.Fprintf(&s, ", source %s", an.Source)
			}
			if an.Request != "" {
				fmt.Fprintf(&s, ", request %q", an.Request)
			}
			if len(an.Corrections) > 0 {
				fmt.Fprintf(&s, ", read %q", an.Corrections)
			}
			if an.Compare != nil {
				fmt.Fprintf(&s, ", compares: %s", an.Compare)
			}
			if an.FollowUp != "" {
				fmt.Fprintf(&s, ", follow-up: %s", an.FollowUp)
			} else if t.last != "" {
				s.WriteString(", read on its own")
			}
			s.WriteString("\n            terms:")
			for _, tm := range an.Terms {
				mark := ""
				if tm.must {
					mark = "!"
				}
				fmt.Fprintf(&s, " %s%s=%.2f", tm.term, mark, tm.cover)
				if tm.kind != termWord {
					fmt.Fprintf(&s, "[%s]", termKindNames[tm.kind])
				}
			}
			s.WriteString("\n")
		}
	}
	if t.reached >= 3 {
		fmt.Fprint(&s, "3 retrieve:")
		if len(t.ret.Candidates) == 0 {
			s.WriteString(" nothing shares a word with the question")
		}
		s.WriteString("\n")
		for i, c := range t.ret.Candidates {
			if i == n {
				break
			}
			f := b.base.Facts[c.fact]
			fmt.Fprintf(&s, "   %6.2f  covers %.2f  %-34s", c.Score, c.Coverage, f.ID)
			if len(c.Missing) > 0 {
				fmt.Fprintf(&s, "  lacks %s", describeMissing(c.Missing))
			}
			if c.roleMismatch != "" {
				fmt.Fprintf(&s, "  %s not where it happened", c.roleMismatch)
			}
			s.WriteString("\n")
		}
	}
	if t.reached >= 4 {
		d := t.decision
		fmt.Fprintf(&s, "4 decide:   %s: %s\n", d.Outcome, d.Why)
	}
	fmt.Fprintf(&s, "5 reply:    %s, confidence %.2f\n", r.Kind, r.Confidence)
	return r, s.String()
}
