"""The admin app: the only web surface that writes, behind a login — one admin desk.

Tabs of one view: 文档管理 (upload with a parse-only preview, confirmed replace, removal with a
confirmation step and 撤销删除 until the next rebuild, rebuild), 元数据 (short name, aliases, region,
level, title, 文号, date as an override), 用户未解决的问题 (refused questions and 没帮助 feedback, CSV
export) and 审计日志.

It runs on its own port (``POLICYBOT_ADMIN_PORT``, loopback by default) and only when
``POLICYBOT_ADMIN_PASSWORD`` is set; Gradio's ``auth`` guards every route of it (page, API, file
upload), and each write handler checks the authenticated user again in the service.
"""
from __future__ import annotations

import gradio as gr

from bot.service import PolicyBot
from bot.service.review import FEEDBACK_HEADERS, REFUSED_HEADERS
from bot.ui.admin_handlers import AUDIT_HEADERS, JOB_HEADERS, KEY_HEADERS, AdminHandlers
from bot.ui.assets import TEMP_FILE_TTL
from bot.ui.render_admin import META_LABELS, trash_choices
from bot.ui.render_lookup import (
    DOC_COLUMN_WIDTHS,
    DOC_HEADERS,
    UPLOAD_COLUMN_WIDTHS,
    UPLOAD_HEADERS,
    doc_choices,
    documents_table,
)
from ingest.catalog import LEVELS, STATUS_CHOICES

REVIEW_WIDTHS: list[str | int] = ["12%", "28%", "45%", "15%"]


def build_admin_ui(bot: PolicyBot) -> gr.Blocks:
    h = AdminHandlers(bot)
    docs0 = bot.library.documents()
    with gr.Blocks(title="质量政策问答 · 文档管理", analytics_enabled=False, delete_cache=TEMP_FILE_TTL) as demo:
        gr.Markdown("# 文档管理（管理员）\n文档、元数据、导入预览和用户未解决的问题；每项修改记入审计日志。")
        with gr.Tabs(elem_id="pb-admin-tabs"):
            with gr.Tab("文档管理", id="docs"):
                docs_table = gr.Dataframe(documents_table(docs0), headers=DOC_HEADERS, interactive=False, wrap=True,
                                          column_widths=DOC_COLUMN_WIDTHS, label="已收录文档", elem_id="pb-docs-table")
                refresh = gr.Button("刷新列表", size="sm", elem_id="pb-docs-refresh")
                with gr.Row(equal_height=False):
                    with gr.Column():
                        files = gr.File(file_count="multiple", label="上传政策文件（.txt .md .html .docx .pdf）",
                                        elem_id="pb-upload-files")
                        replace = gr.Checkbox(label="确认替换同名文档（不勾选时同名文件作为新文档收录，并列出替换会带来的差异）",
                                              value=False, elem_id="pb-upload-replace")
                        with gr.Row():
                            preview_btn = gr.Button("预览（只解析，不导入）", elem_id="pb-preview-btn")
                            upload_btn = gr.Button("导入", variant="primary", elem_id="pb-upload-btn")
                    with gr.Column():
                        remove_doc = gr.Dropdown(doc_choices(docs0), value=None, label="选择要删除的文档",
                                                 allow_custom_value=True, elem_id="pb-remove-doc")
                        remove_btn = gr.Button("删除文档…", variant="stop", elem_id="pb-remove-btn")
                        with gr.Group(visible=False, elem_id="pb-remove-confirm-box") as confirm_box:
                            confirm_text = gr.Markdown("", elem_id="pb-remove-question")
                            with gr.Row():
                                confirm_btn = gr.Button("确认删除", variant="stop", elem_id="pb-remove-confirm")
                                cancel_btn = gr.Button("取消", elem_id="pb-remove-cancel")
                        remove_status = gr.Markdown("", label="删除结果", elem_id="pb-remove-status")
                        trash_doc = gr.Dropdown(trash_choices(bot.library.removed(), bot.settings.timezone), value=None,
                                                label="已删除的文档（下次重建索引前可撤销）", elem_id="pb-trash-doc")
                        undo_btn = gr.Button("撤销删除", elem_id="pb-undo-btn")
                        rebuild_btn = gr.Button("重建索引（按当前文档库；之后删除不能再撤销）", elem_id="pb-rebuild-btn")
                        rebuild_status = gr.Markdown("", label="重建结果", elem_id="pb-rebuild-status")
                preview_out = gr.Markdown("", elem_id="pb-preview")
                upload_table = gr.Dataframe(headers=UPLOAD_HEADERS, interactive=False, wrap=True, label="导入结果",
                                            column_widths=UPLOAD_COLUMN_WIDTHS, elem_id="pb-upload-results")
                jobs_table = gr.Dataframe(h.jobs(), headers=JOB_HEADERS, interactive=False, label="导入任务",
                                          elem_id="pb-jobs")
            with gr.Tab("元数据", id="meta"):
                gr.Markdown("为任一文档设置简称、别名、地区、层级、标题、文号、日期和效力状态。保存为覆盖项（数据目录中的 "
                            "`catalog_overrides.json`，优先于 catalog.toml，重建索引后仍然有效），只重新索引这一份文档。"
                            "清空某一项即撤销对它的修改。")
                meta_doc = gr.Dropdown(doc_choices(docs0), value=None, label="文档", elem_id="pb-meta-doc")
                meta_info = gr.Markdown("", elem_id="pb-meta-info")
                with gr.Row():
                    m_title = gr.Textbox(label=META_LABELS["title"], elem_id="pb-meta-title", scale=3)
                    m_short = gr.Textbox(label=META_LABELS["short_name"], elem_id="pb-meta-short-name")
                with gr.Row():
                    m_aliases = gr.Textbox(label=META_LABELS["aliases"], elem_id="pb-meta-aliases", scale=2)
                    m_region = gr.Textbox(label=META_LABELS["region"], elem_id="pb-meta-region")
                    m_level = gr.Dropdown(list(LEVELS), value=None, allow_custom_value=True, label=META_LABELS["level"],
                                          elem_id="pb-meta-level")
                with gr.Row():
                    m_number = gr.Textbox(label=META_LABELS["doc_number"], elem_id="pb-meta-doc-number")
                    m_date = gr.Textbox(label=META_LABELS["date"], elem_id="pb-meta-date")
                with gr.Row():
                    m_status = gr.Dropdown(["", *STATUS_CHOICES], value="", label=META_LABELS["status"],
                                           elem_id="pb-meta-status-state", scale=2)
                    m_status_date = gr.Textbox(label=META_LABELS["status_date"], elem_id="pb-meta-status-date")
                    m_status_note = gr.Textbox(label=META_LABELS["status_note"], elem_id="pb-meta-status-note", scale=2)
                meta_save = gr.Button("保存并重新索引", variant="primary", elem_id="pb-meta-save")
                meta_status = gr.Markdown("", elem_id="pb-meta-status")
            with gr.Tab("用户未解决的问题", id="review"):
                gr.Markdown("用户问了、文档库却答不上来的问题，以及用户标记“没帮助”的回答：维护文档库的待办清单。")
                review_btn = gr.Button("刷新", size="sm", elem_id="pb-review-refresh")
                refused_table = gr.Dataframe(headers=REFUSED_HEADERS, interactive=False, wrap=True,
                                             column_widths=REVIEW_WIDTHS, label="未能回答的问题", elem_id="pb-refused")
                with gr.Row():
                    refused_csv_btn = gr.Button("导出 CSV", size="sm", elem_id="pb-refused-export")
                    refused_csv = gr.File(label="未能回答的问题 CSV", interactive=False, elem_id="pb-refused-csv")
                unhelpful_table = gr.Dataframe(headers=FEEDBACK_HEADERS, interactive=False, wrap=True,
                                               column_widths=REVIEW_WIDTHS, label="“没帮助”反馈", elem_id="pb-unhelpful")
                with gr.Row():
                    unhelpful_csv_btn = gr.Button("导出 CSV", size="sm", elem_id="pb-unhelpful-export")
                    unhelpful_csv = gr.File(label="“没帮助”反馈 CSV", interactive=False, elem_id="pb-unhelpful-csv")
            with gr.Tab("API 密钥", id="api-keys"):
                gr.Markdown("为每个接入系统（企业微信/钉钉/飞书机器人、网站、热线工单系统）创建一个有名称的密钥，"
                            "可随时吊销。密钥只在创建时显示一次，系统只保存其哈希；创建和吊销记入审计日志。"
                            "接口说明见公开站点的 `/v1/docs`。")
                keys_table = gr.Dataframe(headers=KEY_HEADERS, interactive=False, wrap=True, label="API 密钥",
                                          elem_id="pb-api-keys")
                with gr.Row():
                    key_name = gr.Textbox(label="新密钥的名称（使用它的系统）", elem_id="pb-api-key-name", scale=3)
                    key_create = gr.Button("创建密钥", variant="primary", elem_id="pb-api-key-create")
                with gr.Row():
                    key_pick = gr.Dropdown([], value=None, label="吊销密钥", elem_id="pb-api-key-pick", scale=3)
                    key_revoke = gr.Button("吊销", variant="stop", elem_id="pb-api-key-revoke")
                key_status = gr.Markdown("", elem_id="pb-api-key-status")
            with gr.Tab("审计日志", id="audit"):
                audit_table = gr.Dataframe(h.audit(), headers=AUDIT_HEADERS, interactive=False, wrap=True,
                                           label="审计日志（最近 100 条）", elem_id="pb-audit")
                audit_btn = gr.Button("刷新审计日志", size="sm")

        meta_fields = [m_title, m_short, m_aliases, m_region, m_level, m_number, m_date, m_status, m_status_date,
                       m_status_note]
        refresh.click(h.documents, None, docs_table, api_name="documents")
        preview_btn.click(h.preview, files, preview_out, api_name="preview")
        upload_btn.click(h.upload, [files, replace], [upload_table, jobs_table, docs_table, remove_doc, meta_doc],
                         api_name="upload")
        remove_btn.click(h.ask_remove, remove_doc, [remove_status, confirm_box, confirm_text], api_visibility="private")
        cancel_btn.click(h.cancel_remove, None, [remove_status, confirm_box], api_visibility="private")
        confirm_btn.click(h.remove, remove_doc, [remove_status, docs_table, remove_doc, confirm_box, trash_doc, meta_doc],
                          api_name="remove")
        undo_btn.click(h.restore, trash_doc, [remove_status, docs_table, remove_doc, trash_doc, meta_doc],
                       api_name="restore")
        rebuild_btn.click(h.rebuild, None, [rebuild_status, jobs_table, trash_doc], api_name="rebuild")
        meta_doc.change(h.meta_load, meta_doc, [*meta_fields, meta_info], api_name="meta")
        meta_save.click(h.meta_save, [meta_doc, *meta_fields],
                        [meta_status, docs_table, remove_doc, meta_doc, *meta_fields, meta_info],
                        api_name="set_meta")
        review_btn.click(h.review, None, [refused_table, unhelpful_table], api_name="review")
        refused_csv_btn.click(h.export_refused, None, refused_csv, api_name="export_refused")
        unhelpful_csv_btn.click(h.export_unhelpful, None, unhelpful_csv, api_name="export_unhelpful")
        audit_btn.click(h.audit, None, audit_table, api_name="audit")
        key_create.click(h.create_api_key, key_name, [key_status, keys_table, key_pick, key_name], api_name="create_api_key")
        key_revoke.click(h.revoke_api_key, key_pick, [key_status, keys_table, key_pick], api_name="revoke_api_key")
        demo.load(h.api_keys, None, [keys_table, key_pick], api_name="api_keys")
        demo.load(h.on_load, None, [docs_table, remove_doc, trash_doc, meta_doc], api_visibility="private")
        demo.load(h.review, None, [refused_table, unhelpful_table], api_visibility="private")
        gr.Timer(2.0).tick(h.jobs, None, jobs_table, api_visibility="private")
    return demo
