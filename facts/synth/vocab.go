package synth

import (
	"bufio"
	"bytes"
	"io/fs"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// The synthetic articles are written in real English words, taken from the
// lexicon's general-English frequency list, so the matcher weighs them as
// it weighs real words (common ones little, rare ones much). Words the
// lexicon or the matcher gives a job (stop words, synonyms, places
// elsewhere, question words, number words …) are left out, so a sentence
// means only what its template says.

// vocabSize is how many words the articles draw from.
const vocabSize = 4000

// Zipf bounds of the words chosen: common enough to be words people use,
// rare enough to say something.
const (
	vocabMaxZipf = 4.9
	vocabMinZipf = 2.6
)

// vocabulary holds the words by rough part of speech, each list ordered
// from the most common word down, with a Zipf sampler over it.
type vocabulary struct {
	nouns, adjs, verbs wordList // verbs are past forms ("abandoned")
	all                map[string]bool
	freq               map[string]float64 // every word of wordfreq.txt
}

type wordList struct {
	words []string
	cum   []float64 // cumulative Zipf weights
}

// zipfOffset flattens the head of the distribution (Zipf–Mandelbrot): in
// real text the commonest content word is about one word in a hundred, not
// one in ten.
const zipfOffset = 20

func newWordList(words []string, s float64) wordList {
	l := wordList{words: words, cum: make([]float64, len(words))}
	total := 0.0
	for i := range words {
		total += 1 / math.Pow(float64(i+zipfOffset), s)
		l.cum[i] = total
	}
	return l
}

// pick draws a word, the r-th most common with probability ∝ 1/(r+q)^s.
func (l *wordList) pick(r *rand.Rand) string {
	x := r.Float64() * l.cum[len(l.cum)-1]
	return l.words[sort.SearchFloat64s(l.cum, x)]
}

// reservedWords are words the matcher reads for more than their meaning
// (bot/analyse.go, bot/index.go, facts/numbers.go), and the template words
// of the generator; none is drawn from the vocabulary.
const reservedWords = `
what which who whom whose when where why how many much whats
date dates day days time year years month months week weekday weeks hours
country countries city cities town towns village villages place places region regions location locations area areas
province state nation nations continent district neighbourhood street
head chief director leader boss secretary minister president chair chairman chairwoman commissioner spokesperson spokesman founder deputy
person people man woman men women official officials officer officers individual individuals guy guys bloke fella chap lady
money cash dollars euros pounds funds price cost value worth amount sum fee fees payment
stand stands short abbreviation acronym full form
version versions discrepancy discrepancies differ differs different disagree disagreement conflict conflicting consistent
inconsistent contradict contradictory match matches right vary varies variation spelled spelt spelling
made make makes took take takes got get went go came come saw see said say told tell left gave give found find held hold
led lead ran run set put sent become became happen happens happened mean means show shows need needs want wants play plays
question questions kind kinds type types sort sorts stretch period span length way ways part parts rest most lot lots
number numbers total some any all one role roles job impact effect effects significance outcome outcomes result results
purpose point reason aim aims goal goals objective thing things detail details information info news story situation
case cases example examples evidence figure figures statistics stats data message view views opinion comment comments
remark remarks response reaction lesson lessons takeaway takeaways summary overview background context difference
organisation organisations organization organizations agency agencies body bodies institution institutions outlet outlets
newspaper newspapers paper publication unit units group groups operation operations article articles source sources
describe described call called think thought meant stress stressed emphasise emphasize emphasised emphasized warn warned
note noted add added claimed claim argue argued highlight highlighted acknowledge acknowledged remarked
charge charged charges pay paid pays earn earned earns spend spent spends launder laundered launders raise raised
suspect suspects persons victim victims member members doctor doctors child children migrant migrants smuggler smugglers
trafficker traffickers prosecutor prosecutors gang
tell give list explain summarise summarize confirm remind help check clarify name names outline share
were was are is be been did do does have has had
first previous earlier next third upcoming future last prior original other another later
besides beyond alongside except apart aside addition
police authorities authority court courts government forces prosecutors
citizens citizen nationals national refugees refugee descent families family workers worker
arrest arrested rescued intercepted identified raided seized extradited detected dismantled deployed
because due order ensure ensuring connection wanted according
says tells describes calls stated notes stresses highlights acknowledges asked believes
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen
nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion
more fewer less least close nearly almost about around approximately roughly over under approx
near after during across through before behind since until against within
traced based weeks warning tip checks raid raids liberterra interpol
reader readers home contact menu subscribe
`

// loadVocabulary picks the vocabulary from wordfreq.txt, leaving out every
// word the lexicon gives a job, the reserved words and extra (the
// generator's own template words).
func loadVocabulary(lexFS fs.FS, lex *facts.Lexicon, extra []string) (*vocabulary, error) {
	data, err := fs.ReadFile(lexFS, "lexicon/wordfreq.txt")
	if err != nil {
		return nil, err
	}
	type wz struct {
		w string
		z float64
	}
	var cands []wz
	v := &vocabulary{all: map[string]bool{}, freq: map[string]float64{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		w, zs, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.HasPrefix(w, "#") {
			continue
		}
		z, err := strconv.ParseFloat(zs, 64)
		if err != nil {
			continue
		}
		v.freq[w] = z
		if z >= vocabMinZipf && z <= vocabMaxZipf && len(w) >= 4 && len(w) <= 11 {
			cands = append(cands, wz{w, z})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	reserved := lexiconWords(lex)
	for _, w := range strings.Fields(reservedWords) {
		reserved[w] = true
	}
	for _, w := range extra {
		for _, p := range facts.Words(w) {
			reserved[p] = true
		}
	}
	reservedStem := map[string]bool{}
	for w := range reserved {
		reservedStem[facts.Stem(w)] = true
	}
	// Most common first; equal counts by word, so the choice is stable.
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].z != cands[j].z {
			return cands[i].z > cands[j].z
		}
		return cands[i].w < cands[j].w
	})
	seenStem := map[string]bool{}
	var ok []string
	for _, c := range cands {
		w := c.w
		st := facts.Stem(w)
		if reserved[w] || reservedStem[st] || seenStem[st] || !plainWord(w) || strings.HasSuffix(w, "ly") || rude(w) {
			continue
		}
		seenStem[st] = true
		ok = append(ok, w)
	}
	// Spread the choice over the whole range of frequencies.
	step := max(1, len(ok)/vocabSize)
	var nouns, adjs, verbs []string
	for i := 0; i < len(ok) && len(v.all) < vocabSize; i += step {
		w := ok[i]
		v.all[w] = true
		switch {
		case strings.HasSuffix(w, "ed") && len(w) >= 5:
			verbs = append(verbs, w)
		case hasAnySuffix(w, "ous", "ful", "ive", "able", "ible", "ical", "ic", "ish", "less", "al", "ary"):
			adjs = append(adjs, w)
		default:
			nouns = append(nouns, w)
		}
	}
	v.nouns, v.adjs, v.verbs = newWordList(nouns, 1.0), newWordList(adjs, 1.0), newWordList(verbs, 1.0)
	return v, nil
}

// lexiconWords are the words the lexicon gives a job.
func lexiconWords(lex *facts.Lexicon) map[string]bool {
	out := map[string]bool{}
	add := func(s string) {
		for _, w := range facts.Words(s) {
			out[w] = true
		}
	}
	for _, ls := range [][]facts.Listed{lex.StopWords, lex.Domain, lex.Elsewhere, lex.Later} {
		for _, w := range ls {
			add(w.Word)
		}
	}
	for _, s := range lex.Synonyms {
		add(s.Term)
		for _, w := range s.Words {
			add(w)
		}
	}
	for _, p := range lex.Phrases {
		add(p.Phrase)
		add(p.Term)
	}
	for _, l := range [][]string{lex.Chat.Greetings, lex.Chat.Thanks, lex.Chat.Goodbyes, lex.Chat.Fillers} {
		for _, p := range l {
			add(p)
		}
	}
	for from, to := range lex.Chat.TextSpeak {
		add(from)
		add(to)
	}
	for _, s := range lex.Smalltalk {
		for _, p := range s.Patterns {
			add(p)
		}
	}
	for _, l := range lex.Languages {
		for _, w := range l.Words {
			add(w)
		}
	}
	return out
}

// rude reports words of the subtitles corpus unfit for the articles.
func rude(w string) bool {
	for _, r := range []string{"fuck", "shit", "piss", "bitch", "cunt", "whore", "slut", "dick", "cock", "pussy", "nigg", "fag",
		"bastard", "asshole", "damn", "crap", "boob", "porn", "sex", "rape", "penis", "vagina", "tits", "butt", "arse", "hell"} {
		if strings.Contains(w, r) {
			return true
		}
	}
	return false
}

func plainWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func hasAnySuffix(w string, sufs ...string) bool {
	for _, s := range sufs {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// Made-up names: syllables that make pronounceable names no English word
// list holds.
var (
	onsets = []string{"b", "br", "d", "dr", "f", "g", "gr", "k", "kr", "l", "m", "n", "p", "r", "s", "sh", "t", "tr", "v", "z", "ch", "h", "j", "st", "th"}
	nuclei = []string{"a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "ar", "or", "el"}
	codas  = []string{"", "", "", "n", "r", "l", "s", "th", "k", "m"}
)

// namer makes names no word list, stop list or other name has.
type namer struct {
	r     *rand.Rand
	taken map[string]bool // lower-case names and alias words
	stems map[string]bool
	bad   func(w string) bool
}

// root is a made-up name root of two or three syllables.
func (n *namer) root() string {
	var b strings.Builder
	for i, k := 0, 2+n.r.IntN(2); i < k; i++ {
		b.WriteString(onsets[n.r.IntN(len(onsets))])
		b.WriteString(nuclei[n.r.IntN(len(nuclei))])
	}
	b.WriteString(codas[n.r.IntN(len(codas))])
	return b.String()
}

// free reports whether every word is unused and no English word.
func (n *namer) free(words ...string) bool {
	seen := map[string]bool{}
	for _, w := range words {
		if w == "" || len(w) > 14 || n.taken[w] || n.stems[facts.Stem(w)] || seen[w] || n.bad(w) {
			return false
		}
		seen[w] = true
	}
	return true
}

func (n *namer) take(words ...string) {
	for _, w := range words {
		n.taken[w] = true
		n.stems[facts.Stem(w)] = true
	}
}

// title capitalises the first letter.
func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
