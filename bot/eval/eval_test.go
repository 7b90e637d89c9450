package eval

import (
	"strings"
	"testing"
)

func TestReadFlattensConversations(t *testing.T) {
	in := `{"q": "one", "expect": ["x"], "src": ["000"]}

{"tag": "follow", "turns": [{"q": "a", "expect": ["x"], "src": ["000"]}, {"q": "b", "oos": true}]}
`
	cases, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 3 || cases[0].Conversation != "" || cases[1].Conversation != "c2" || cases[2].Conversation != "c2" || cases[2].Tag != "follow" {
		t.Errorf("cases %+v", cases)
	}
	if _, err := Read(strings.NewReader("{nope\n")); err == nil {
		t.Error("a bad line read without error")
	}
}

func TestJudge(t *testing.T) {
	j := NewJudgeTexts(map[string]string{"000_a.txt": "Police \u201crescued 3,222 potential victims\u201d in the operation."})
	in := Case{Q: "q", Expect: []string{"3,?222"}, Src: []string{"000"}}
	for _, tc := range []struct {
		name  string
		c     Case
		r     Reply
		right bool
		why   string
	}{
		{"right", in, Reply{Answered: true, Answer: "It rescued 3,222.", Quotes: []string{"rescued 3,222 potential victims"}}, true, ""},
		{"quote with ellipsis", in, Reply{Answered: true, Answer: "3222", Quotes: []string{"Police \"rescued 3,222 … in the operation"}}, true, ""},
		{"wrong source", Case{Q: "q", Expect: []string{"3"}, Src: []string{"001"}}, Reply{Answered: true, Answer: "3", Quotes: []string{"rescued 3,222 potential victims"}}, false, "citation not found in the right source"},
		{"not answered", in, Reply{Answer: "3,222"}, false, "no answer"},
		{"wrong answer", in, Reply{Answered: true, Answer: "many", Quotes: []string{"rescued 3,222 potential victims"}}, false, "wrong answer, want 3,?222"},
		{"out of scope declined", Case{Q: "q", OOS: true, Reply: []string{"hello"}}, Reply{Answer: "Hello there"}, true, ""},
		{"out of scope, reply lacks", Case{Q: "q", OOS: true, Reply: []string{"hello"}}, Reply{Answer: "no"}, false, "the reply lacks hello"},
	} {
		v := j.Judge(tc.c, tc.r)
		if !v.Judged || v.Right != tc.right || v.Why != tc.why {
			t.Errorf("%s: %+v", tc.name, v)
		}
	}
	if v := j.Judge(Case{Q: "q", OOS: true, Reply: []string{"^(?!yes)"}}, Reply{}); v.Judged {
		t.Errorf("a look-ahead pattern was judged: %+v", v)
	}
}

func TestScoreWrite(t *testing.T) {
	var s Score
	s.Add(Case{Tag: "a"}, Verdict{Judged: true, Right: true, AnswerOK: true, CiteOK: true})
	s.Add(Case{Tag: "a", OOS: true}, Verdict{Judged: true})
	s.Add(Case{Tag: "b"}, Verdict{})
	var b strings.Builder
	s.Write(&b)
	want := "by tag: a 1/2\nin-scope answered right with a verified citation: 1/1; answer text right: 1/1; citation verified: 1/1; out-of-scope declined: 0/1; not judged (patterns Go's regexp can't read, such as look-ahead): 1\nscore 1/2 = 50.0%\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
