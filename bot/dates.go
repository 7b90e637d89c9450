package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateSpan answers how many days lie between two dates a question names
// ("counting both 29 September and 4 October, how many days did it
// span?"), when a fact the question reaches gives both dates: the span is
// worked out, counting both ends where the question says so, and the fact
// cited for the dates.
func (b *Bot) dateSpan(an *Analysis, r *Retrieval) (Decision, bool) {
	if !asksDays(an.words) {
		return Decision{}, false
	}
	dates := readDates(an.words)
	if len(dates) != 2 {
		return Decision{}, false
	}
	for _, c := range r.Candidates {
		f := b.base.Facts[c.fact]
		answer := strings.ToLower(f.Answer)
		if !dates[0].in(answer) || !dates[1].in(answer) {
			continue
		}
		year := factYear(answer)
		from := time.Date(year, dates[0].month, dates[0].day, 0, 0, 0, 0, time.UTC)
		to := time.Date(year, dates[1].month, dates[1].day, 0, 0, 0, 0, time.UTC)
		if to.Before(from) {
			from, to = to, from
		}
		days := int(to.Sub(from).Hours() / 24)
		span := fmt.Sprintf("%s to %s %d", from.Format("2 January"), to.Format("2 January"), year)
		var text string
		if inclusive(an.words) {
			text = fmt.Sprintf("Counting both the first and the last day, %s is %d days (%d days on from the first, plus the first itself).", span, days+1, days)
		} else {
			text = fmt.Sprintf("From %s is %d days on (%d days counting both the first and the last).", span, days, days+1)
		}
		text += " " + b.answerText(f)
		return Decision{Outcome: OutcomeAnswer, Fact: c.fact, Confidence: 0.9, Text: text,
			Cites: b.citations(f, an.Source), Why: fmt.Sprintf("a span of days between dates %s gives", f.ID)}, true
	}
	return Decision{}, false
}

// asksDays reports whether the words ask how many days.
func asksDays(ws []string) bool {
	for i := 0; i+2 < len(ws); i++ {
		if ws[i] == "how" && ws[i+1] == "many" && ws[i+2] == "days" {
			return true
		}
	}
	return false
}

// inclusive reports whether the words count both ends of a span.
func inclusive(ws []string) bool {
	joined := " " + strings.Join(ws, " ") + " "
	for _, p := range []string{" counting both ", " including both ", " inclusive ", " both days ", " both dates ", " both ends "} {
		if strings.Contains(joined, p) {
			return true
		}
	}
	return false
}

// dayMonth is a date without its year.
type dayMonth struct {
	day   int
	month time.Month
}

// in reports whether lower-case text names the date, day first or month
// first.
func (d dayMonth) in(text string) bool {
	m := strings.ToLower(d.month.String())
	return strings.Contains(text, fmt.Sprintf("%d %s", d.day, m)) || strings.Contains(text, fmt.Sprintf("%s %d", m, d.day))
}

// readDates finds "29 September", "September 29" and "Oct 4" in the words.
func readDates(ws []string) []dayMonth {
	var out []dayMonth
	for i, w := range ws {
		m, ok := monthByName(w)
		if !ok {
			continue
		}
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(ws) {
				continue
			}
			if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(ws[j], "th"), "st"), "nd"), "rd")); err == nil && n >= 1 && n <= 31 {
				out = append(out, dayMonth{n, m})
				break
			}
		}
	}
	return out
}

func monthByName(w string) (time.Month, bool) {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if w == name || len(w) >= 3 && strings.HasPrefix(name, w) && (len(w) == 3 || w == "sept") {
			return m, true
		}
	}
	return 0, false
}

// factYear is the year a fact's answer names, or 2024, the operation's.
func factYear(answer string) int {
	for _, w := range strings.Fields(answer) {
		w = strings.Trim(w, ".,;:()")
		if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) {
			if y, err := strconv.Atoi(w); err == nil {
				return y
			}
		}
	}
	return 2024
}
