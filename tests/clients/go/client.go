// Calling the generated importexport client by operation name with botocore-shaped parameters.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/importexport"
)

// Error codes the SDK itself produces (no service answer behind them): a reading failure, not a service error.
var sdkCodes = map[string]bool{
	"SerializationError": true, "RequestError": true, "RequestCanceled": true, "ResponseTimeout": true,
	"InvalidParameter": true, "ParamRequiredError": true, "ParamMinLenError": true, "InvalidParameterCombination": true,
}

// newClient builds one client for an endpoint and key pair: no retries, us-east-1, SigV2 (from the model).
func newClient(endpoint, accessKeyID, secretAccessKey string) (*importexport.ImportExport, error) {
	sess, err := session.NewSession(&aws.Config{
		Endpoint:    aws.String(endpoint),
		Region:      aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials(accessKeyID, secretAccessKey, ""),
		MaxRetries:  aws.Int(0),
		HTTPClient:  &http.Client{Timeout: 60 * time.Second},
	})
	if err != nil {
		return nil, err
	}
	return importexport.New(sess), nil
}

// callResult is what one call surfaced: the normalised output, a service error, or any other failure.
type callResult struct {
	Output  map[string]interface{}
	Code    string
	Message string
	Failure string
}

// call invokes the operation named `operation` (botocore name, e.g. "GetShippingLabel") with `params`
// decoded into the generated input structure (field names match botocore's member names case-insensitively).
func call(client *importexport.ImportExport, operation string, params json.RawMessage) callResult {
	method := reflect.ValueOf(client).MethodByName(operation)
	if !method.IsValid() {
		return callResult{Failure: fmt.Sprintf("UnknownOperation: the generated client has no %s", operation)}
	}
	input := reflect.New(method.Type().In(0).Elem())
	if len(params) > 0 {
		if err := json.Unmarshal(params, input.Interface()); err != nil {
			return callResult{Failure: fmt.Sprintf("BadParams: %v", err)}
		}
	}
	results := method.Call([]reflect.Value{input})
	if err, _ := results[1].Interface().(error); err != nil {
		if aerr, ok := err.(awserr.Error); ok && !sdkCodes[aerr.Code()] {
			return callResult{Code: aerr.Code(), Message: aerr.Message()}
		}
		return callResult{Failure: fmt.Sprintf("%T: %v", err, err)}
	}
	return callResult{Output: normalise(results[0].Elem())}
}
