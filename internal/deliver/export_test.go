package deliver

// MailboxText returns the mailbox page's words in lang.
func MailboxText(lang string) map[string]string { return mailboxText[lang] }
