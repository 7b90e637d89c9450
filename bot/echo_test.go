package bot_test

import (
	"testing"

	"github.com/liberterra/liberterra/bot"
)

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"who is Kavanagh?":                            "who is Kavanagh?",
		"who\u200b is\u200d Kava\u2060nagh?\ufeff":    "who is Kavanagh?",
		"\u202egnirts desrever\u202c":                 "gnirts desrever",
		"a\u2066b\u2067c\u2068d\u2069e\u200ef\u200fg": "abcdefg",
		"soft\u00adhyphen\x00\x1b[31m":                "softhyphen[31m",
		"tabs\tand\nnewlines stay":                    "tabs\tand\nnewlines stay",
		"Jürgen Stock, 17,800 — «déjà vu» 🙂":          "Jürgen Stock, 17,800 — «déjà vu» 🙂",
		"\u3164\u115f":                                "",
	} {
		if got := bot.Visible(in); got != want {
			t.Errorf("Visible(%q) = %q, want %q", in, got, want)
		}
	}
}
