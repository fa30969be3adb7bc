package fakegraph

import (
	"fmt"
	"net/http"
)

// Answers says which success answers the fake gives where Graph's doc
// pages and its live service disagree: a create and an update of a
// connector group. Code that talks to Graph should take both, and can be
// tested against each.
//
// The doc's own operation (POST /connectorGroups/{id}/members/$ref at the
// doc's path) answers 201 with the connector in both, as its page says;
// every other answer is the same in both.
type Answers string

const (
	// AnswersSeen answers as the live service was seen answering
	// (terraform-provider-microsoft365 PR #3213): a create 200 OK with
	// the group, an update 204 No Content. The default.
	AnswersSeen Answers = "seen"
	// AnswersDocumented answers as the doc pages say: a create
	// 201 Created with the group, an update 200 OK with the group.
	AnswersDocumented Answers = "documented"
)

// WithAnswers picks the success answers of a create and an update
// (AnswersSeen when not given).
func WithAnswers(a Answers) Option {
	return func(c *config) { c.answers = a }
}

// ParseAnswers reads the name of an Answers, as `serve -answers` takes it:
// "seen" or "documented". A front end reports its error with its other
// usage errors.
func ParseAnswers(name string) (Answers, error) {
	switch a := Answers(name); a {
	case AnswersSeen, AnswersDocumented:
		return a, nil
	}
	return "", errUnknownAnswers(name)
}

// validate accepts the two Answers and the zero value, which is
// AnswersSeen.
func (a Answers) validate() error {
	if a == "" {
		return nil
	}
	_, err := ParseAnswers(string(a))
	return err
}

func errUnknownAnswers(name string) error {
	return fmt.Errorf("fakegraph: answers %q is neither %s nor %s", name, AnswersSeen, AnswersDocumented)
}

// String is the name, "seen" for the zero value.
func (a Answers) String() string {
	if a == "" {
		return string(AnswersSeen)
	}
	return string(a)
}

// createStatus is the status of a create's answer, which carries the
// group either way.
func (a Answers) createStatus() int {
	if a == AnswersDocumented {
		return http.StatusCreated
	}
	return http.StatusOK
}

// updateAnswersGroup reports whether an update answers 200 with the group
// rather than 204 without a body.
func (a Answers) updateAnswersGroup() bool { return a == AnswersDocumented }
