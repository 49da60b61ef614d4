package neo4j

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"learngraph"
)

// translate turns an error of the driver into a *learngraph.Error, once,
// at this edge: anything that says Neo4j cannot be used right now
// (connection refused or lost, timeouts, a database that is not up,
// refused credentials) becomes UNAVAILABLE; everything else INTERNAL. The
// message is for clients and never holds Cypher or the driver's text; the
// cause rides along in Err for the logs.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*learngraph.Error](err); ok {
		return err // translated already
	}
	if message, ok := unavailable(err); ok {
		return &learngraph.Error{Code: learngraph.EUNAVAILABLE, Message: message, Err: err}
	}
	return &learngraph.Error{Code: learngraph.EINTERNAL, Message: "Internal error.", Err: err}
}

// The client messages of UNAVAILABLE errors.
const (
	msgUnreachable  = "Neo4j cannot be reached"
	msgTimeout      = "Neo4j did not answer in time"
	msgCredentials  = "Neo4j refused the credentials: check NEO4J_USERNAME and NEO4J_PASSWORD"
	msgNoDatabase   = "Neo4j has no such database: check NEO4J_DATABASE"
	msgDatabaseDown = "the Neo4j database is not available"
	msgNotLoaded    = "no curriculum is loaded into Neo4j: run learngraph load"
	msgOtherFormat  = "the curriculum in Neo4j was loaded by another release of learngraph: run learngraph load again"
)

// unavailable says whether err means Neo4j cannot serve now, and how to
// say so.
func unavailable(err error) (string, bool) {
	// A retried transaction that ran out of time carries the errors of
	// its attempts, without Unwrap: judge it by the last one.
	if limit, ok := errors.AsType[*neo4j.TransactionExecutionLimit](err); ok {
		if len(limit.Errors) > 0 {
			if message, ok := unavailable(limit.Errors[len(limit.Errors)-1]); ok {
				return message, true
			}
		}
		return msgUnreachable, true
	}
	if dbErr, ok := errors.AsType[*neo4j.Neo4jError](err); ok {
		switch {
		case strings.HasPrefix(dbErr.Code, "Neo.ClientError.Security."):
			return msgCredentials, true
		case dbErr.Code == "Neo.ClientError.Database.DatabaseNotFound":
			return msgNoDatabase, true
		case strings.HasPrefix(dbErr.Code, "Neo.TransientError."):
			// A database starting, stopping or out of memory for now.
			return msgDatabaseDown, true
		}
		return "", false
	}
	if _, ok := errors.AsType[*neo4j.InvalidAuthenticationError](err); ok {
		return msgCredentials, true
	}
	if _, ok := errors.AsType[*neo4j.ConnectivityError](err); ok {
		return msgUnreachable, true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return msgTimeout, true
	}
	if errors.Is(err, context.Canceled) {
		return "the request was cancelled", true
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return msgUnreachable, true
	}
	return "", false
}
