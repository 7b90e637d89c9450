package bot

// comparison is what a question compares or adds: filled by
// readComparison, worked out by compute.
type comparison struct{}

// computed is a worked comparison: the figures used, the result and how it
// was worked out.
type computed struct {
	text       string
	working    string
	confidence float64
	figures    []usedFigure
	disputed   bool
}

// usedFigure is one figure a comparison used, with its fact.
type usedFigure struct {
	fact int32
	fig  int
}

func (a *analyser) readComparison(an *Analysis) *comparison { return nil }

func (b *Bot) compute(an *Analysis) *computed { return nil }
