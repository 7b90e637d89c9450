package repl

import (
	"fmt"
	"strings"

	"github.com/liberterra/liberterra/bot"
)

// Render formats a reply as plain text for a terminal: the answer, then the
// citations as the outlet and the quote (the "sources" command gives each
// source's title), then any suggestions.
func Render(r bot.Reply) string {
	var b strings.Builder
	switch r.Kind {
	case bot.KindThrottled:
		return ""
	case bot.KindSources:
		b.WriteString(r.Text + "\n")
		for _, s := range r.Sources {
			fmt.Fprintf(&b, "  %s: %s. %s", s.ID, s.Outlet(), s.Title)
			if s.Date != "" {
				fmt.Fprintf(&b, " (%s)", s.Date)
			}
			if s.URL != "" {
				fmt.Fprintf(&b, " <%s>", s.URL)
			}
			b.WriteString("\n")
		}
		return b.String()
	case bot.KindTopics:
		b.WriteString(r.Text + "\n")
		for _, g := range r.Topics {
			fmt.Fprintf(&b, "  %s: %s\n", g.Title, strings.Join(g.Topics, "; "))
		}
		return b.String()
	}
	b.WriteString(r.Text)
	b.WriteString("\n")
	if r.Answered() {
		if r.Conflict {
			b.WriteString("(The sources disagree; each version is cited below.)\n")
		}
		for _, c := range r.Citations {
			fmt.Fprintf(&b, "  - %s: %q\n", c.Source.Outlet(), c.Quote)
			if c.Source.URL != "" {
				fmt.Fprintf(&b, "    %s\n", c.Source.URL)
			}
		}
		fmt.Fprintf(&b, "  (confidence %.2f)\n", r.Confidence)
	}
	if len(r.Suggestions) > 0 {
		b.WriteString("You could ask about: " + strings.Join(r.Suggestions, "; ") + ".\n")
	}
	return b.String()
}
