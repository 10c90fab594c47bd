# FastTCM-DBNet (CLIP RN50) on icdar2015: tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py with FastTCM's
# changes. A learned meta query feeds the language prompt generator, so the text branch no
# longer depends on the image and is computed once at inference; bimodal similarity matching
# puts the image back into the text embedding. Its projection is joint width x joint width
# (1024 x 1024), the shape that works (the released code's (1024, 512) could not run). Compare
# with tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py and its baseline dbnet_clip-r50_fpnc_1200e_icdar2015.py.
_base_ = ['../../tcm/dbnet/tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py']

model = dict(type='FastTCMDetector', bimodal_similarity=dict(type='BimodalSimilarityMatching'))
