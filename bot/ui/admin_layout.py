"""The admin app: the only web surface that writes (upload, replace, remove, rebuild), behind a login.

It runs on its own port (``POLICYBOT_ADMIN_PORT``, loopback by default) and only when
``POLICYBOT_ADMIN_PASSWORD`` is set; Gradio's ``auth`` guards every route of it (page, API, file
upload), and each write handler checks the authenticated user again in the service.
"""
from __future__ import annotations

import gradio as gr

from bot.service import PolicyBot
from bot.ui.admin_handlers import AUDIT_HEADERS, JOB_HEADERS, AdminHandlers
from bot.ui.assets import TEMP_FILE_TTL
from bot.ui.render_lookup import (
    DOC_COLUMN_WIDTHS,
    DOC_HEADERS,
    UPLOAD_COLUMN_WIDTHS,
    UPLOAD_HEADERS,
    doc_choices,
    documents_table,
)


def build_admin_ui(bot: PolicyBot) -> gr.Blocks:
    h = AdminHandlers(bot)
    docs0 = bot.library.documents()
    with gr.Blocks(title="质量政策问答 · 文档管理", analytics_enabled=False, delete_cache=TEMP_FILE_TTL) as demo:
        gr.Markdown("# 文档管理（管理员）\n导入、替换、删除政策文件；每项操作记入审计日志。")
        docs_table = gr.Dataframe(documents_table(docs0), headers=DOC_HEADERS, interactive=False, wrap=True,
                                  column_widths=DOC_COLUMN_WIDTHS, label="已收录文档", elem_id="pb-docs-table")
        refresh = gr.Button("刷新列表", size="sm", elem_id="pb-docs-refresh")
        with gr.Row(equal_height=False):
            with gr.Column():
                files = gr.File(file_count="multiple", label="上传政策文件（.txt .md .html .docx .pdf）",
                                elem_id="pb-upload-files")
                replace = gr.Checkbox(label="确认替换同名文档（不勾选时同名文件作为新文档收录，并列出替换会带来的差异）",
                                      value=False, elem_id="pb-upload-replace")
                upload_btn = gr.Button("导入", variant="primary", elem_id="pb-upload-btn")
            with gr.Column():
                remove_doc = gr.Dropdown(doc_choices(docs0), value=None, label="选择要删除的文档",
                                         allow_custom_value=True, elem_id="pb-remove-doc")
                remove_btn = gr.Button("删除文档", variant="stop", elem_id="pb-remove-btn")
                remove_status = gr.Markdown("", label="删除结果", elem_id="pb-remove-status")
                rebuild_btn = gr.Button("重建索引（按当前文档库）", elem_id="pb-rebuild-btn")
                rebuild_status = gr.Markdown("", label="重建结果", elem_id="pb-rebuild-status")
        upload_table = gr.Dataframe(headers=UPLOAD_HEADERS, interactive=False, wrap=True, label="导入结果",
                                    column_widths=UPLOAD_COLUMN_WIDTHS, elem_id="pb-upload-results")
        jobs_table = gr.Dataframe(h.jobs(), headers=JOB_HEADERS, interactive=False, label="导入任务",
                                  elem_id="pb-jobs")
        with gr.Accordion("审计日志", open=False):
            audit_table = gr.Dataframe(h.audit(), headers=AUDIT_HEADERS, interactive=False, wrap=True,
                                       label="审计日志（最近 100 条）", elem_id="pb-audit")
            audit_btn = gr.Button("刷新审计日志", size="sm")

        refresh.click(h.documents, None, docs_table, api_name="documents")
        upload_btn.click(h.upload, [files, replace], [upload_table, jobs_table, docs_table, remove_doc],
                         api_name="upload")
        remove_btn.click(h.remove, remove_doc, [remove_status, docs_table, remove_doc], api_name="remove")
        rebuild_btn.click(h.rebuild, None, [rebuild_status, jobs_table], api_name="rebuild")
        audit_btn.click(h.audit, None, audit_table, api_name="audit")
        gr.Timer(2.0).tick(h.jobs, None, jobs_table, api_visibility="private")
    return demo
