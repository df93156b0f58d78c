"""The request on the wire: building the exact bytes, signing them with botocore's signers, sending them."""
