"""A paragraph break always ends a sentence, so attributions stay in their paragraph."""


def test_sentence_never_runs_across_a_line_break(nlp):
    doc = nlp("The minister said the plan was over and\nRory O'Neill, of the union, says it is not.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[-1] == "Rory O'Neill, of the union, says it is not."


def test_text_without_line_breaks_is_left_to_the_parser(nlp):
    doc = nlp("Prices rose by 4% in May, the bureau said. Analysts had expected less.")
    assert [s.text for s in doc.sents] == [
        "Prices rose by 4% in May, the bureau said.",
        "Analysts had expected less.",
    ]
