"""The protocol layer: read and check a Query API request, verify its signature, write the XML answer."""
