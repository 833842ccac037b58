"""年报助手: drafting assistant for the 政府信息公开工作年度报告."""
