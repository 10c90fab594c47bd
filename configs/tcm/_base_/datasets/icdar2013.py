# ICDAR2013 in the layout MMOCR's dataset preparer writes
# (python tools/dataset_converters/prepare_dataset.py icdar2013 --task textdet in MMOCR).
icdar2013_textdet_data_root = 'data/icdar2013'
__icdar2013 = dict(type='CheckedOCRDataset', data_root=icdar2013_textdet_data_root)
icdar2013_textdet_train = dict(
    __icdar2013, ann_file='textdet_train.json', filter_cfg=dict(filter_empty_gt=True, min_size=32))
icdar2013_textdet_test = dict(__icdar2013, ann_file='textdet_test.json', test_mode=True)
