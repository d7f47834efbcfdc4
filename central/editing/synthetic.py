"""A generated flow of any even size the kiosk's validator accepts, for the scale benchmark
and its test. Shaped like a real interview: a tree of yes/no questions (each answer leads
to the next question, about 7 deep for 200 nodes) ending in one outcome per leaf answer;
an introduction, then n/2 - 1 questions and n/2 outcomes (a full binary tree)."""

from __future__ import annotations


def _target(i: int, questions: int) -> str:
    return f"q{i}" if i < questions else f"o{i - questions}"


def synthetic_flow(nodes: int = 200, flow_id: str = "synthetic-large") -> str:
    questions = max(1, (nodes - 2) // 2)
    out = [f"# A generated flow of {2 * questions + 2} nodes (central/editing/synthetic.py).",
           f"id: {flow_id}", "topic: labour", "title: {zh-CN: 大流程, en: Large flow}",
           "summary: {zh-CN: 用来测速度的流程。, en: A flow to measure speed.}",
           "keywords: {zh-CN: [测试], en: [test]}",
           "steps:", "  - id: ask", "    title: {zh-CN: 问题, en: Questions}",
           "  - id: result", "    title: {zh-CN: 怎么办, en: What to do}", "variables:"]
    out += [f"  v{i}: {{type: bool}}" for i in range(questions)]
    out += ["start: i_intro", "nodes:", "  - id: i_intro", "    kind: info", "    step: ask",
            "    text: {zh-CN: 下面问您几个问题。, en: We will ask you a few questions.}",
            "    next:", "      - goto: q0", ""]
    for i in range(questions):  # q_i: yes -> child 2i+1, no -> child 2i+2 (a question or an outcome)
        out += [f"  - id: q{i}", "    kind: question", "    step: ask", "    input: yesno", f"    var: v{i}",
                f"    text: {{zh-CN: 第{i}个问题是这样吗？, en: Is question {i} so?}}",
                "    next:", f"      - {{when: v{i}, goto: {_target(2 * i + 1, questions)}}}",
                f"      - goto: {_target(2 * i + 2, questions)}", ""]
    for i in range(questions + 1):
        out += [f"  - id: o{i}", "    kind: outcome", "    step: result",
                f"    title: {{zh-CN: 结果{i}, en: Outcome {i}}}",
                "    summary: {zh-CN: 您可以去问一问。, en: You can go and ask.}",
                "    steps:", "      - {zh-CN: 带上身份证去咨询。, en: Take your ID card and ask.}",
                "    basis:", "      - law: {zh-CN: 劳动法, en: Labour Law}",
                "        article: {zh-CN: 第五十条, en: Article 50}", ""]
    out += ["scenarios:"]
    for answer in (True, False):
        i, answers = 0, []
        while i < questions:
            answers.append(f"q{i}: {'true' if answer else 'false'}")
            i = 2 * i + (1 if answer else 2)
        out += [f"  - name: always {'yes' if answer else 'no'}", f"    answers: {{{', '.join(answers)}}}",
                f"    expect: {_target(i, questions)}"]
    return "\n".join(out) + "\n"
