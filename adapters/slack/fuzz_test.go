package slack

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseText feeds arbitrary text through what the adapter does with a
// user's words before the bot sees them: mention stripping, mrkdwn to plain
// text, and slash-command parsing. It must never panic, and valid text must
// stay valid. The seeds in testdata/fuzz run as an ordinary test.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{
		"<@U123> how many were rescued?", "-p who is kavanagh", "<!channel> &lt;b&gt;", "",
		"<https://example.org|link> *bold* _it_ ~x~ `code`", "-p", "<@", "\x00\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := stripMention(text, "U123")
		plain := plainText(text)
		j := slashJob(text, "T1", "U1", "C1", "")
		if utf8.ValidString(text) && (!utf8.ValidString(out) || !utf8.ValidString(plain) || !utf8.ValidString(j.Text)) {
			t.Errorf("valid input %q gave invalid output %q / %q / %q", text, out, plain, j.Text)
		}
	})
}
