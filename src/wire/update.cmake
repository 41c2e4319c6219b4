# UPDATE and path attributes
