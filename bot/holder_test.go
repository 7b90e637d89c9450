package bot_test

import (
	"context"
	"errors"
	"testing"

	"github.com/liberterra/liberterra/bot"
)

func TestHolderEmpty(t *testing.T) {
	if _, err := (&bot.Holder{}).Answer(context.Background(), bot.Question{Text: "hi"}); !errors.Is(err, bot.ErrNoBot) {
		t.Errorf("empty holder: %v", err)
	}
}
