"""The public Gradio app: components and event wiring, nothing else — and no write endpoint at all.

Key components carry stable ``elem_id``s (``pb-*``) for browser tests; every callback an API client
may want has an explicit ``api_name``, the rest are ``api_visibility="private"``.  Uploads, removal
and rebuilds are served by the separate admin app (:mod:`bot.ui.admin_layout`) behind a login.
"""
from __future__ import annotations

import gradio as gr

from bot.service import PolicyBot
from bot.ui.assets import CITE_LINK_JS, COPY_TEXT_JS, EXAMPLES, STEP_JS, TEMP_FILE_TTL
from bot.ui.handlers import UIHandlers
from bot.ui.render_chat import render_sources
from bot.ui.render_lookup import (
    DOC_COLUMN_WIDTHS,
    DOC_HEADERS,
    RESULTS_PLACEHOLDER,
    STATUS_FILTERS,
    department_choices,
    doc_choices,
    documents_table,
    level_choices,
    lookup_doc_choices,
    region_choices,
    render_outline,
    year_choices,
)
from bot.ui.render_text import esc


def build_ui(bot: PolicyBot) -> gr.Blocks:
    h = UIHandlers(bot)
    docs0 = bot.library.documents()

    with gr.Blocks(title="质量政策智能问答", analytics_enabled=False, delete_cache=TEMP_FILE_TTL) as demo:
        with gr.Column(elem_id="pb-header"):
            gr.Markdown("# 质量政策智能问答\n依据已收录的质量政策文件作答，每条回答都附条款出处，可展开核对原文。")
            gr.Markdown(esc(bot.mode_description()), elem_id="pb-mode")

        with gr.Tabs(elem_id="pb-tabs") as tabs:
            # -------- 智能问答 --------
            with gr.Tab("智能问答", id="chat", elem_id="pb-tab-chat"):
                history_state = gr.State([])
                last_state = gr.State(None)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="对话", elem_id="pb-chatbot", height=520, feedback_options=None,
                                             placeholder="请输入您关心的质量政策问题，例如认证帮扶、标准制定、计量服务等。",
                                             buttons=[])  # copy: our 复制 buttons give the plain form
                        with gr.Row():
                            # lines=1 (growing to 6): Enter sends, Shift+Enter breaks the line, as in every chat.
                            msg = gr.Textbox(label="您的问题（Enter 发送，Shift+Enter 换行）",
                                             placeholder="例如：我们小厂想做质量认证，政府有帮扶吗？",
                                             lines=1, max_lines=6, scale=5, elem_id="pb-question", autofocus=True)
                            with gr.Column(scale=1, min_width=120):
                                send = gr.Button("发送", variant="primary", elem_id="pb-send")
                                clear = gr.Button("清空对话", elem_id="pb-clear")
                                copy_all = gr.Button("复制对话", elem_id="pb-copy-all", size="sm")
                                export = gr.DownloadButton("导出对话", elem_id="pb-export", size="sm")
                        conversation = gr.Textbox("", visible=False, label="对话纯文本", elem_id="pb-conversation")
                        gr.Examples(EXAMPLES, inputs=[msg], label="示例问题", elem_id="pb-examples")
                        with gr.Accordion("筛选范围（可选）", open=False, elem_id="pb-filters"):
                            doc_filter = gr.CheckboxGroup(doc_choices(docs0), label="只在这些文档中查找",
                                                          elem_id="pb-doc-filter")
                            region_filter = gr.CheckboxGroup(region_choices(docs0), label="地区",
                                                             elem_id="pb-region-filter")
                        with gr.Group(elem_id="pb-feedback"):
                            with gr.Row():
                                up = gr.Button("有帮助", size="sm", elem_id="pb-like")
                                down = gr.Button("没帮助", size="sm", elem_id="pb-dislike")
                            rating = gr.Textbox("", visible=False, label="rating")
                            comment = gr.Textbox(label="补充意见（可选）", placeholder="哪里不准确？缺了什么？",
                                                 lines=1, elem_id="pb-comment")
                            feedback_status = gr.Markdown("", label="反馈结果", elem_id="pb-feedback-status")
                    with gr.Column(scale=2):
                        sources = gr.HTML(render_sources(None), label="回答依据", elem_id="pb-sources", js_on_load=CITE_LINK_JS,
                                          padding=True)

                chat_inputs = [msg, doc_filter, region_filter, history_state]
                chat_outputs = [chatbot, sources, history_state, last_state, msg]
                send.click(h.chat, chat_inputs, chat_outputs, api_name="chat")
                msg.submit(h.chat, chat_inputs, chat_outputs, api_visibility="private")
                chatbot.clear(h.clear_chat, None, [chatbot, sources, history_state, last_state, msg, feedback_status],
                              api_visibility="private")
                history_state.change(h.export_chat, history_state, export, api_visibility="private")
                history_state.change(h.conversation, history_state, conversation, api_visibility="private")
                copy_all.click(None, conversation, None, js=COPY_TEXT_JS, api_visibility="private")
                clear.click(h.clear_chat, None, [chatbot, sources, history_state, last_state, msg, feedback_status],
                            api_visibility="private")
                # One public ``feedback(rating, comment)`` endpoint; the buttons set the rating first.
                up.click(lambda: "up", None, rating, queue=False, api_visibility="private").then(
                    h.feedback, [rating, comment, last_state], feedback_status, api_name="feedback")
                down.click(lambda: "down", None, rating, queue=False, api_visibility="private").then(
                    h.feedback, [rating, comment, last_state], feedback_status, api_visibility="private")

            # -------- 条款检索 --------
            with gr.Tab("条款检索", id="lookup", elem_id="pb-tab-lookup"):
                with gr.Row():
                    query = gr.Textbox(label="检索",
                                       placeholder="关键词、条款号或文件名+条款号，如：天津实施意见 15、广东 八、\"计量托管\"",
                                       scale=4, elem_id="pb-lookup-query")
                    # Empty means every document; typing narrows the list, a name not held is said so.
                    lookup_doc = gr.Dropdown(lookup_doc_choices(docs0), value="", filterable=True,
                                             label="文档（空白为全部文档，可输入筛选）", scale=2, allow_custom_value=True,
                                             elem_id="pb-lookup-doc")
                    with gr.Column(scale=1, min_width=120):
                        phrase = gr.Checkbox(label="精确短语", value=False, elem_id="pb-lookup-phrase")
                        search_btn = gr.Button("检索", variant="primary", elem_id="pb-lookup-btn")
                with gr.Row(elem_id="pb-lookup-filters"):
                    lookup_region = gr.Dropdown(["", *region_choices(docs0)], value="", label="地区",
                                                elem_id="pb-lookup-region")
                    lookup_level = gr.Dropdown(["", *level_choices(docs0)], value="", label="层级", elem_id="pb-lookup-level")
                    lookup_year = gr.Dropdown(["", *year_choices(docs0)], value="", label="年份", elem_id="pb-lookup-year")
                    lookup_dept = gr.Dropdown(department_choices(bot.library.department_groups()), value="",
                                              label="责任部门（按地区，可输入筛选）", filterable=True,
                                              allow_custom_value=True, elem_id="pb-lookup-dept")
                    lookup_status = gr.Dropdown(STATUS_FILTERS, value="", label="效力状态", elem_id="pb-lookup-status")
                results = gr.HTML(RESULTS_PLACEHOLDER, label="检索结果", elem_id="pb-lookup-results", padding=True,
                                  js_on_load=STEP_JS)
                results_json = gr.JSON(visible=False, label="检索结果数据")
                # Pressed by the step bar's buttons and ← / → (STEP_JS); hidden, the bar shows the targets.
                step_prev = gr.Button("上一条", elem_id="pb-step-prev", elem_classes=["pb-offscreen"])
                step_next = gr.Button("下一条", elem_id="pb-step-next", elem_classes=["pb-offscreen"])
                lookup_inputs = [query, phrase, lookup_doc, lookup_region, lookup_level, lookup_year, lookup_dept,
                                 lookup_status]
                search_btn.click(h.lookup, lookup_inputs, [results, results_json], api_name="lookup")
                query.submit(h.lookup, lookup_inputs, [results, results_json], api_visibility="private")
                step_prev.click(h.step_prev, results_json, [results, results_json], api_name="step_prev")
                step_next.click(h.step_next, results_json, [results, results_json], api_name="step_next")

                gr.Markdown("### 文档浏览")
                browse_doc = gr.Dropdown(doc_choices(docs0), value=None, label="选择文档查看目录，点击条款展开原文",
                                         allow_custom_value=True, elem_id="pb-browse-doc")
                outline_html = gr.HTML(render_outline(None, []), label="文档目录", elem_id="pb-outline", padding=True)
                browse_doc.change(h.outline, browse_doc, outline_html, api_name="outline")

            # -------- 已收录文档 (read only: writes are in the admin app, bot/ui/admin_layout.py) --------
            with gr.Tab("已收录文档", id="docs", elem_id="pb-tab-docs"):
                docs_table = gr.Dataframe(documents_table(docs0), headers=DOC_HEADERS, interactive=False, wrap=True,
                                          column_widths=DOC_COLUMN_WIDTHS, label="已收录文档", elem_id="pb-docs-table")
                refresh = gr.Button("刷新列表", size="sm", elem_id="pb-docs-refresh")
                choice_outputs = [doc_filter, region_filter, lookup_doc, browse_doc, lookup_region, lookup_level,
                                  lookup_year, lookup_dept]
                refresh.click(h.documents, None, docs_table, api_name="documents")

        demo.load(h.on_load, None, [docs_table, *choice_outputs], api_visibility="private")
        demo.load(h.open_clause, None, [tabs, query, results], api_visibility="private")
    return demo
