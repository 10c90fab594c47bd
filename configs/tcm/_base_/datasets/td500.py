# MSRA-TD500 in MMOCR's textdet layout, written by tools/dataset_converters/td500_converter.py
# (MMOCR ships no preparer for it); its training split may include HUST-TR400.
td500_textdet_data_root = 'data/td500'
__td500 = dict(type='CheckedOCRDataset', data_root=td500_textdet_data_root)
td500_textdet_train = dict(
    __td500, ann_file='textdet_train.json', filter_cfg=dict(filter_empty_gt=True, min_size=32))
td500_textdet_test = dict(__td500, ann_file='textdet_test.json', test_mode=True)
