package auth

// CommonPasswords is how many passwords the common list holds.
func CommonPasswords() int { return len(commonPasswords()) }
