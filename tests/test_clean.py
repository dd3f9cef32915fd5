"""Cleaning: pinyin annotations, boilerplate, search form."""
from __future__ import annotations

import pytest

from ingest.clean import clean_lines, strip_pinyin
from ingest.text.script import is_traditional, match_form, search_form

pytestmark = pytest.mark.unit


def test_pinyin_annotations_removed_but_real_parentheses_kept():
    assert strip_pinyin("中國(云南)自由貿(mào)易實(shí)驗(yàn)區(qū)") == "中國(云南)自由貿易實驗區"
    assert strip_pinyin("(一)加强质量基础设施(TISC)建设（二）") == "(一)加强质量基础设施(TISC)建設（二）".replace("設", "设")
    assert strip_pinyin("綠(lǜ)色") == "綠色"
    assert strip_pinyin("推进(BIM)应用(de)") == "推进(BIM)应用"


def test_boilerplate_lines_removed():
    raw = """• 中國(云南)自由貿易實驗區昆明片區
  • 服務電話0871-64148058
市場監管總局等六部門聯合發布《關於進一步發揮質量基礎設施作用的意見》
來源:國家市場監督管理總局官網       發布時間:2021-11-05       閱讀次數:
關於進一步發揮質量基礎設施作用的意見
一、總體要求
堅持質量第一。
① 凡本网所有原始/编译文章及图片、图表的版权均属食品伙伴网所有,如要转载,需注明“信息来源:食品伙伴网”。
※ 邮箱:law#foodmate.net(发邮件时请将#换成@) QQ:139307733
相关阅读:
某某新闻链接
"""
    assert clean_lines(raw) == ["關於進一步發揮質量基礎設施作用的意見", "一、總體要求", "堅持質量第一。"]


def test_repeated_paragraph_kept_once():
    para = "为贯彻落实党中央、国务院关于质量强国建设的决策部署,大力推进质量强市建设。"
    assert clean_lines(f"{para}\n发布单位 | 某委\n{para}\n一、总体要求") == [para, "发布单位 | 某委", "一、总体要求"]


def test_search_form_unifies_scripts_and_widths():
    assert search_form("質量基礎設施　ＡＢＣ") == "质量基础设施 abc"
    assert match_form("雙隨機、一公開") == "双随机、一公开"
    assert is_traditional("關於進一步發揮質量基礎設施") and not is_traditional("关于进一步发挥质量基础设施")
