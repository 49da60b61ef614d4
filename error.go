package learngraph

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for clients. The values are what GraphQL
// clients see in extensions.code.
type Code string

// The error codes.
const (
	ENOTFOUND    Code = "NOT_FOUND"                 // a ref that must resolve does not; Suggestions may help
	EAMBIGUOUS   Code = "AMBIGUOUS"                 // a ref names several concepts; Candidates lists them
	EINVALID     Code = "BAD_USER_INPUT"            // arguments or documents that cannot be used
	ELIMIT       Code = "LIMIT_EXCEEDED"            // a request over a limit; Limit says which value
	EPERSISTED   Code = "PERSISTED_QUERY_NOT_FOUND" // an unknown persisted query hash
	EUNAVAILABLE Code = "UNAVAILABLE"               // the store cannot be reached or holds no curriculum
	EINTERNAL    Code = "INTERNAL"                  // anything else; its text is never shown to clients
)

// Error is the error type of the domain. Backends translate their own
// errors into it once, at their edge; transports turn its code into their
// own status once, at theirs.
type Error struct {
	Code    Code
	Message string // for the client; never a driver's or query's text
	// Suggestions are refs the client may have meant (NOT_FOUND).
	Suggestions []string
	// Candidates are the ids a shared name could mean (AMBIGUOUS).
	Candidates []string
	// Limit is the value that was exceeded (LIMIT_EXCEEDED).
	Limit int
	// Err is the cause, for logs.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, INTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of the first *Error in err's
// chain, or a generic text for anything else, so internal details never
// reach a client.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok && e.Code != EINTERNAL {
		return e.Message
	}
	return "Internal error."
}

// CurriculumError reports every problem that keeps a set of documents from
// forming a valid graph: parse errors, dangling or ambiguous references,
// duplicates, cycles. Warnings found on the way ride along so a checker can
// show them too.
type CurriculumError struct {
	Problems []Finding // severity ERROR
	Warnings []Finding
}

func (e *CurriculumError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// String formats a finding as "file:line: SEVERITY KIND: message", leaving
// out what is unknown.
func (f Finding) String() string {
	var b strings.Builder
	if f.File != "" {
		b.WriteString(f.File)
		if f.Line > 0 {
			fmt.Fprintf(&b, ":%d", f.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s %s: %s", f.Severity, f.Kind, f.Message)
	return b.String()
}
