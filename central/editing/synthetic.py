"""A generated flow of any size the kiosk's validator accepts, for the scale benchmark and
its test: a chain of yes/no questions, each "yes" ending in its own outcome."""

from __future__ import annotations


def synthetic_flow(nodes: int = 200, flow_id: str = "synthetic-large") -> str:
    questions = max(2, nodes // 2)
    out = [f"# A generated flow of {2 * questions} nodes (central/editing/synthetic.py).",
           f"id: {flow_id}", "topic: labour", "title: {zh-CN: 大流程, en: Large flow}",
           "summary: {zh-CN: 用来测速度的流程。, en: A flow to measure speed.}",
           "keywords: {zh-CN: [测试], en: [test]}",
           "steps:", "  - id: ask", "    title: {zh-CN: 问题, en: Questions}",
           "  - id: result", "    title: {zh-CN: 怎么办, en: What to do}", "variables:"]
    out += [f"  v{i}: {{type: bool}}" for i in range(questions)]
    out += ["start: q0", "nodes:"]
    for i in range(questions):
        after = f"q{i + 1}" if i + 1 < questions else "o0"  # all "no": back to the first outcome
        out += [f"  - id: q{i}", "    kind: question", "    step: ask", "    input: yesno", f"    var: v{i}",
                f"    text: {{zh-CN: 第{i}个问题是这样吗？, en: Is question {i} so?}}",
                "    next:", f"      - {{when: v{i}, goto: o{i}}}", f"      - goto: {after}", ""]
    for i in range(questions):
        out += [f"  - id: o{i}", "    kind: outcome", "    step: result",
                f"    title: {{zh-CN: 结果{i}, en: Outcome {i}}}",
                "    summary: {zh-CN: 您可以去问一问。, en: You can go and ask.}",
                "    steps:", "      - {zh-CN: 带上身份证去咨询。, en: Take your ID card and ask.}",
                "    basis:", "      - law: {zh-CN: 劳动法, en: Labour Law}",
                "        article: {zh-CN: 第五十条, en: Article 50}", ""]
    out += ["scenarios:", "  - name: first yes", "    answers: {q0: true}", "    expect: o0",
            "  - name: all no", f"    answers: {{{', '.join(f'q{i}: false' for i in range(questions))}}}",
            "    expect: o0"]
    return "\n".join(out) + "\n"
