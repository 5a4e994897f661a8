// Package spam is the text analysis behind comment moderation: it says how
// much a reader comment looks like spam and why. It calls no outside
// service; everything it needs is compiled in.
//
// The pieces, usable on their own:
//
//   - Normalize folds disguised text ("SL0T G4C0R", "ｓｌｏｔ", "s l o t",
//     "ѕlоt") into plain lower-case words; Tokens splits it into words.
//   - Vocabulary finds phrases of Indonesian online gambling (judol), loan
//     scams (pinjol), pharma, adult, crypto, contact pitches, link
//     shorteners and self-promotion.
//   - Links counts URLs and bare domains; Analyze measures repetition,
//     shouting, phone numbers, glued words and emoji.
//   - Classifier is a naive Bayes model. Default loads the shipped model,
//     trained on trainingdata/, which Learn and Unlearn keep teaching.
//     Features names what it counts in a text; Snapshot and Counts let
//     the counts live elsewhere (Warta keeps them in its database, where
//     every instance adds the moderators' decisions to the same counts,
//     and reads only a comment's features to score it).
//   - Evaluate combines all of them into a Verdict with a 0..1 score and
//     reasons for the moderation queue: locale keys with arguments (Reason),
//     stored encoded (EncodeReasons) and said in each moderator's language.
//
// The moderation rules that decide what happens to a comment (first-time
// commenters, blocklists, rate limits) live in package comment.
package spam
