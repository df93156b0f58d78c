# The AWS SDK for Ruby v1 (Debian's ruby-aws-sdk, AWS::ImportExport::Client: SigV2, its own API
# configuration and XML parser) called by botocore operation names with botocore-shaped parameters,
# shared by run_steps.rb (the client tests' step protocol) and read_documents.rb (the reader oracle).
#
# Outputs are normalised to the reader oracle's form: keys are the CamelCase of the SDK's Ruby names
# (botocore's member names; `url` is botocore's `URL`), the SDK's response metadata dropped, Time values as
# ISO 8601 UTC without a zero fraction, every other value exactly as the SDK returned it.
require 'aws-sdk'
require 'json'
require 'time'
require 'uri'

module ImportExportRuby
  # Ruby names whose botocore member name is not their CamelCase.
  IRREGULAR_NAMES = { 'url' => 'URL' }.freeze
  SDK_METADATA = :response_metadata

  module_function

  def client(endpoint, access_key_id, secret_access_key)
    uri = URI.parse(endpoint)
    AWS::ImportExport::Client.new(
      access_key_id: access_key_id, secret_access_key: secret_access_key,
      import_export_endpoint: uri.host, import_export_port: uri.port, use_ssl: uri.scheme == 'https',
      region: 'us-east-1', max_retries: 0, http_read_timeout: 60
    )
  end

  # The client's method for a botocore operation name (CreateJob -> create_job), nil if it has none.
  def method_for(client, operation)
    name = AWS::Core::Inflection.ruby_name(operation)
    client.respond_to?(name) ? name : nil
  end

  # botocore member names as the SDK's option names (JobId -> :job_id).
  def options(params)
    (params || {}).to_h { |name, value| [AWS::Core::Inflection.ruby_name(name).to_sym, value] }
  end

  def member_name(key)
    text = key.to_s
    IRREGULAR_NAMES.fetch(text) { text.split('_').map(&:capitalize).join }
  end

  def normalise(value)
    case value
    when Hash
      value.reject { |key, _| key == SDK_METADATA }.to_h { |key, item| [member_name(key), normalise(item)] }
    when Array then value.map { |item| normalise(item) }
    when Time, DateTime
      time = value.to_time.utc
      time.usec.zero? ? time.strftime('%Y-%m-%dT%H:%M:%SZ') : time.strftime('%Y-%m-%dT%H:%M:%S.%6NZ')
    else value
    end
  end

  # One call: [:output, members] | [:error, code, message] | [:failure, "Class: text"].
  def call(client, operation, params)
    method = method_for(client, operation)
    return [:failure, "NoMethodError: AWS::ImportExport::Client has no operation #{operation}"] unless method

    [:output, normalise(client.send(method, options(params)).data)]
  rescue AWS::Errors::Base => e
    e.code ? [:error, e.code, e.message] : [:failure, "#{e.class}: #{e.message}"]
  rescue StandardError => e
    [:failure, "#{e.class}: #{e.message}"]
  end
end
