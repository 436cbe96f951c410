"""Identity: the national registry of persons, the national PKI, the virtual CNIE and login."""
